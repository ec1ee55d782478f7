package io.segmatch.datasets.control;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An upload body copied to a temporary file as it arrives, so that reading it never holds
 * more than a buffer in memory, detection can look at the whole file, and a dropped
 * connection fails before any transaction begins. While copying it checks whether the
 * bytes are valid UTF-8 and keeps the first bytes for sniffing.
 */
public final class SpooledUpload implements AutoCloseable {

    public static final int HEAD_SIZE = 64 * 1024;

    private final Path file;
    private final long size;
    private final byte[] head;
    private final boolean validUtf8;

    private SpooledUpload(Path file, long size, byte[] head, boolean validUtf8) {
        this.file = file;
        this.size = size;
        this.head = head;
        this.validUtf8 = validUtf8;
    }

    /**
     * Copies the stream to a temporary file.
     *
     * @throws UploadTooLargeException when the body exceeds {@code maxBytes}
     */
    public static SpooledUpload spool(InputStream in, long maxBytes) throws IOException {
        Path file = Files.createTempFile("segmatch-upload-", ".csv");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            byte[] head = new byte[HEAD_SIZE];
            int headLength = 0;
            long size = 0;
            Utf8Validator utf8 = new Utf8Validator();
            int n;
            while ((n = in.read(buffer)) > 0) {
                size += n;
                if (size > maxBytes) {
                    throw new UploadTooLargeException(maxBytes);
                }
                if (headLength < HEAD_SIZE) {
                    int copy = Math.min(n, HEAD_SIZE - headLength);
                    System.arraycopy(buffer, 0, head, headLength, copy);
                    headLength += copy;
                }
                utf8.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            return new SpooledUpload(file, size, Arrays.copyOf(head, headLength), utf8.finish());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** A spooled file again, from what {@link #path()}, {@link #size()}, {@link #head()} and {@link #validUtf8()} gave. */
    public static SpooledUpload reopen(String path, long size, byte[] head, boolean validUtf8) {
        return new SpooledUpload(Path.of(path), size, head, validUtf8);
    }

    public String path() {
        return file.toString();
    }

    /** Wraps bytes already in memory (tests, small bodies). */
    public static SpooledUpload of(byte[] bytes) throws IOException {
        return spool(new ByteArrayInputStream(bytes), Long.MAX_VALUE);
    }

    public Path file() {
        return file;
    }

    public long size() {
        return size;
    }

    /** The first bytes of the file (up to {@link #HEAD_SIZE}). */
    public byte[] head() {
        return head;
    }

    public boolean validUtf8() {
        return validUtf8;
    }

    public InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file left behind is removed with the temp directory
        }
    }

    /** The body is larger than the configured limit. */
    public static class UploadTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        public final long limit;

        public UploadTooLargeException(long limit) {
            super("the upload is larger than the limit of " + limit + " bytes");
            this.limit = limit;
        }
    }
}
