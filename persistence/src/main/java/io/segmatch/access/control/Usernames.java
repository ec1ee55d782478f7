package io.segmatch.access.control;

import java.util.Locale;
import java.util.regex.Pattern;

/** Usernames: 1–64 characters of {@code [A-Za-z0-9._@-]}, compared without case (kept in lower case). */
public final class Usernames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private Usernames() {
    }

    public static boolean valid(String username) {
        return username != null && VALID.matcher(username).matches();
    }

    /** The stored form of a username (lower case). */
    public static String normalize(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
