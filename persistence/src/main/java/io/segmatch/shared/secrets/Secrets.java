package io.segmatch.shared.secrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets at rest (stored OAuth tokens): AES-256-GCM with a random 12-byte nonce per value,
 * stored as nonce ‖ ciphertext ‖ tag. The key is {@code segmatch.secret-key} (32 bytes,
 * base64), or a key generated once into a file readable only by its owner.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    public Secrets(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("segmatch.secret-key must be 32 bytes, base64-encoded (e.g. openssl rand -base64 32)");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The configured key (base64), or the one in {@code keyFile}, generated there on first use. */
    public static Secrets of(String configuredBase64, Path keyFile) throws IOException {
        if (configuredBase64 != null && !configuredBase64.isBlank()) {
            return new Secrets(Base64.getDecoder().decode(configuredBase64.trim()));
        }
        if (!Files.exists(keyFile)) {
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(keyFile.toAbsolutePath().getParent(), "secret", ".tmp");
            if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(temp, Base64.getEncoder().encodeToString(fresh), StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(temp, keyFile, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(temp);
            }
        }
        return new Secrets(Base64.getDecoder().decode(Files.readString(keyFile).trim()));
    }

    public byte[] encrypt(String plain) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt a secret", e);
        }
    }

    /** The plain text; fails when the value was not sealed with this key or was altered. */
    public String decrypt(byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, 0, 12));
            return new String(cipher.doFinal(stored, 12, stored.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored secret cannot be read with this segmatch.secret-key "
                    + "(changed key, or the value was altered)");
        }
    }
}
