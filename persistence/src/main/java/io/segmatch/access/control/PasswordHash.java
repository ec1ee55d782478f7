package io.segmatch.access.control;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Salted, slow password hashes: PBKDF2-HMAC-SHA512 with 210,000 iterations, a 16-byte random
 * salt and a 64-byte result, stored as {@code PBKDF2WithHmacSHA512:210000:salt:hash} (Base64;
 * the same form as Jakarta Security's {@code Pbkdf2PasswordHash}). The stored form names its
 * algorithm and iterations, so a later increase still verifies older hashes.
 */
public final class PasswordHash {

    public static final String ALGORITHM = "PBKDF2WithHmacSHA512";
    public static final int ITERATIONS = 210_000;
    public static final int MIN_LENGTH = 12;
    private static final int SALT_BYTES = 16;
    private static final int KEY_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A hash of a fixed random password: verifying an unknown username against it costs the
     * same as against a real user, so response times do not tell which usernames exist.
     */
    private static final String DUMMY = hash(Tokens.randomText(24));

    private PasswordHash() {
    }

    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] key = derive(ALGORITHM, password, salt, ITERATIONS, KEY_BYTES);
        Base64.Encoder b64 = Base64.getEncoder();
        return ALGORITHM + ":" + ITERATIONS + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(key);
    }

    /** Whether the password matches the stored hash (constant time in the comparison). */
    public static boolean verify(String password, String stored) {
        String[] parts = stored.split(":");
        if (parts.length != 4 || !parts[0].startsWith("PBKDF2WithHmac")) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] salt = b64.decode(parts[2]);
        byte[] expected = b64.decode(parts[3]);
        byte[] actual = derive(parts[0], password, salt, Integer.parseInt(parts[1]), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the time of one verification, for a username that does not exist. */
    public static void verifyNothing(String password) {
        verify(password, DUMMY);
    }

    /** Why a new password is refused, or null when it is acceptable. */
    public static String weakness(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            return "must be at least " + MIN_LENGTH + " characters long";
        }
        if (password.length() > 1024) {
            return "must be at most 1024 characters long";
        }
        return null;
    }

    private static byte[] derive(String algorithm, String password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no " + algorithm + " in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}
