package io.segmatch.activation.identifiers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 of the UTF-8 bytes, as lower-case hex; values that already are such a hash pass through. */
public final class Hashing {

    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");

    private Hashing() {
    }

    /** Whether a value already is a SHA-256 in hex (then it is sent lower-cased, never hashed again). */
    public static boolean isHash(String value) {
        return value != null && HASH.matcher(value.strip()).matches();
    }

    public static String sha256(String normalized) {
        if (normalized == null || normalized.isEmpty()) {
            throw new IllegalArgumentException("an empty value is never hashed");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
