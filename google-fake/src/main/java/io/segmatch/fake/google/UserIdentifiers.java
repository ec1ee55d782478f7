package io.segmatch.fake.google;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Google's rules for the user identifiers of one operation: the person they name
 * ({@code kind=value}, hashes lower-cased), or the first identifier Google refuses, with the
 * error code and the field it names.
 */
final class UserIdentifiers {

    private UserIdentifiers() {
    }

    /**
     * What one operation's identifiers came to: {@code person} when {@code error} is null;
     * otherwise the refused identifier's {@code index} and {@code field}. {@code uppercase}: a
     * hash in upper case was among those read.
     */
    record Read(Set<String> person, boolean uppercase, String error, int index, String field) {
    }

    static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");

    /** What {@link #HASH} matches, checked without a regular expression (a million people a sync). */
    static boolean sha256Hex(String v) {
        if (v.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char ch = v.charAt(i);
            if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** Reads {@code userIds} (at most 20); {@code refused}: hashed values Google refuses, with their codes. */
    static Read read(JsonArray userIds, Map<String, String> refused) {
        Set<String> person = new TreeSet<>();
        boolean uppercase = false;
        for (int j = 0; j < userIds.size(); j++) {
            JsonObject id = userIds.getJsonObject(j);
            if (id.size() != 1) {
                return new Read(null, uppercase, "MISSING_USER_IDENTIFIER", j, "user_identifiers");
            }
            String key = id.keySet().iterator().next();
            switch (key) {
                case "hashedEmail", "hashedPhoneNumber" -> {
                    String v = id.getString(key);
                    String lower = v.toLowerCase(Locale.ROOT);
                    String field = key.equals("hashedEmail") ? "hashed_email" : "hashed_phone_number";
                    if (!refused.isEmpty() && refused.containsKey(lower)) {
                        return new Read(null, uppercase, refused.get(lower), j, field);
                    }
                    if (!sha256Hex(v)) {
                        return new Read(null, uppercase, "INVALID_SHA256_FORMAT", j, field);
                    }
                    uppercase |= !v.equals(lower);
                    person.add(key + "=" + lower);
                }
                case "addressInfo" -> {
                    JsonObject a = id.getJsonObject(key);
                    String first = a.getString("hashedFirstName", "");
                    String last = a.getString("hashedLastName", "");
                    if (!sha256Hex(first) || !sha256Hex(last)) {
                        return new Read(null, uppercase, "INVALID_SHA256_FORMAT", j, "address_info");
                    }
                    if (!a.getString("countryCode", "").matches("[A-Z]{2}")) {
                        return new Read(null, uppercase, "INVALID_COUNTRY_CODE", j, "address_info");
                    }
                    person.add("addressInfo=" + first + "/" + last + "/" + a.getString("countryCode") + "/"
                            + a.getString("postalCode", ""));
                }
                default -> {
                    return new Read(null, uppercase, "INCOMPATIBLE_UPLOAD_KEY_TYPE", j, key);
                }
            }
        }
        return new Read(person, uppercase, null, 0, null);
    }
}
