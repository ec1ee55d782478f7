package io.segmatch.datasets.api;

import io.segmatch.datasets.control.SpooledUpload;
import io.segmatch.shared.error.SegmatchException;
import jakarta.ws.rs.core.EntityPart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code multipart/form-data} upload: the CSV in part {@code file} (spooled to disk) and
 * optional text parts such as {@code name} and {@code key}.
 */
record Multipart(SpooledUpload file, String fileName, Map<String, String> fields) {

    static final int MAX_TEXT_BYTES = 64 * 1024;

    static Multipart read(List<EntityPart> parts, long maxBytes) throws IOException {
        SpooledUpload file = null;
        String fileName = null;
        Map<String, String> fields = new HashMap<>();
        try {
            for (EntityPart part : parts) {
                if (part.getName().equals("file") && file == null) {
                    try {
                        file = SpooledUpload.spool(part.getContent(), maxBytes);
                    } catch (SpooledUpload.UploadTooLargeException e) {
                        throw new SegmatchException(SegmatchException.Kind.TOO_LARGE, "upload-too-large", e.getMessage(),
                                List.of());
                    }
                    fileName = part.getFileName().orElse(null);
                } else if (!part.getName().equals("file")) {
                    fields.put(part.getName(), text(part));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (file != null) {
                file.close();
            }
            throw e;
        }
        if (file == null) {
            throw SegmatchException.invalid("missing-file", "a multipart upload needs the CSV in a part named 'file'",
                    List.of(SegmatchException.FieldError.field("file", "required")));
        }
        return new Multipart(file, fileName, fields);
    }

    /** A text part (at most {@value #MAX_TEXT_BYTES} bytes: a name, a key column, a mode), never read whole first. */
    private static String text(EntityPart part) throws IOException {
        byte[] text;
        try (InputStream in = part.getContent()) {
            text = in.readNBytes(MAX_TEXT_BYTES + 1);
        }
        if (text.length > MAX_TEXT_BYTES) {
            throw SegmatchException.invalid("invalid-form", "the form part '" + part.getName() + "' is longer than "
                    + MAX_TEXT_BYTES + " bytes", List.of(SegmatchException.FieldError.field(part.getName(),
                    "at most " + MAX_TEXT_BYTES + " bytes")));
        }
        return new String(text, StandardCharsets.UTF_8);
    }

    /** A text part, or the query parameter when the form lacks it. */
    String text(String name, String fallback) {
        String value = fields.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
