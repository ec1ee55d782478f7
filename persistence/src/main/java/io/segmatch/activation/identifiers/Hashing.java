package io.segmatch.activation.identifiers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 of the UTF-8 bytes, as lower-case hex; values that already are such a hash pass through. */
public final class Hashing {

    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final HexFormat HEX = HexFormat.of();
    /** A digest per thread: a sync hashes a million values, {@code getInstance} each time costs more than the hash. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    });

    private Hashing() {
    }

    /** Whether a value already is a SHA-256 in hex (then it is sent lower-cased, never hashed again). */
    public static boolean isHash(String value) {
        if (value == null || value.length() < 64) {
            return false;
        }
        String v = value.strip();
        return v.length() == 64 && HASH.matcher(v).matches();
    }

    public static String sha256(String normalized) {
        if (normalized == null || normalized.isEmpty()) {
            throw new IllegalArgumentException("an empty value is never hashed");
        }
        MessageDigest sha256 = SHA256.get();
        sha256.reset();
        return HEX.formatHex(sha256.digest(normalized.getBytes(StandardCharsets.UTF_8)));
    }
}
