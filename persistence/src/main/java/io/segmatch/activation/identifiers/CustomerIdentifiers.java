package io.segmatch.activation.identifiers;

import io.segmatch.datasets.entity.Identifiers;
import io.segmatch.shared.json.Jsons;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The Customer Match identifiers of one person (one row): hashed email and phone, and an
 * address (hashed first and last name, plain country and postal code) when all four are
 * present. Empty when the row has no usable identifier; such a row is skipped and counted,
 * never sent.
 */
public record CustomerIdentifiers(String hashedEmail, String hashedPhoneNumber, Address address) {

    /** Google's {@code addressInfo}: names hashed, country and postal code plain. */
    public record Address(String hashedFirstName, String hashedLastName, String countryCode, String postalCode) {
    }

    public boolean isEmpty() {
        return hashedEmail == null && hashedPhoneNumber == null && address == null;
    }

    /** How many identifiers Google receives for this person (each its own {@code UserIdentifier}). */
    public int count() {
        return (hashedEmail == null ? 0 : 1) + (hashedPhoneNumber == null ? 0 : 1) + (address == null ? 0 : 1);
    }

    /**
     * The identifiers of a row, read from the columns the dataset's roles name.
     *
     * @param canonicalGmail whether gmail.com and googlemail.com addresses lose dots and {@code +tags}
     */
    public static CustomerIdentifiers of(Map<String, String> values, Identifiers roles, boolean canonicalGmail) {
        Function<String, String> value = role -> {
            String column = roles.column(role);
            return column == null ? null : values.get(column);
        };
        String email = hashed(value.apply("email"), v -> Normalization.email(v, canonicalGmail));
        String phone = hashed(value.apply("phone"), v -> Normalization.phone(v, roles.getDefaultPhoneRegion()));
        String first = hashed(value.apply("firstName"), Normalization::firstName);
        String last = hashed(value.apply("lastName"), Normalization::lastName);
        String country = Normalization.countryCode(value.apply("countryCode"));
        String postal = Normalization.postalCode(value.apply("postalCode"));
        Address address = first != null && last != null && country != null && postal != null
                ? new Address(first, last, country, postal) : null;
        return new CustomerIdentifiers(email, phone, address);
    }

    /** A value normalised then hashed; one that already is a hash passes through lower-cased; null if unusable. */
    static String hashed(String raw, Function<String, String> normalize) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (Hashing.isHash(raw)) {
            return raw.strip().toLowerCase(Locale.ROOT);
        }
        String normalized = normalize.apply(raw);
        return normalized == null ? null : Hashing.sha256(normalized);
    }

    /**
     * The person's identifiers in Google's shape of choice, one element per identifier (each
     * API wants one identifier per {@code UserIdentifier}), in the order email, phone, address.
     */
    public <T> List<T> each(Function<String, T> email, Function<String, T> phone,
                                      Function<Address, T> addressInfo) {
        List<T> list = new ArrayList<>(3);
        if (hashedEmail != null) {
            list.add(email.apply(hashedEmail));
        }
        if (hashedPhoneNumber != null) {
            list.add(phone.apply(hashedPhoneNumber));
        }
        if (address != null) {
            list.add(addressInfo.apply(address));
        }
        return list;
    }

    /** The stored form (hashes and the plain country and postal code; never a raw value), stable for comparison. */
    public String toJson() {
        if (address == null) {
            // hashes are hex: written directly, in the builder's exact form (a sync writes a million)
            StringBuilder b = new StringBuilder(160).append('{');
            if (hashedEmail != null) {
                b.append("\"hashedEmail\":\"").append(hashedEmail).append('"');
            }
            if (hashedPhoneNumber != null) {
                b.append(b.length() > 1 ? "," : "").append("\"hashedPhoneNumber\":\"").append(hashedPhoneNumber).append('"');
            }
            return b.append('}').toString();
        }
        return built();
    }

    /** {@link #toJson} through the JSON builder (which escapes the plain postal code). */
    private String built() {
        var b = Jsons.JSON.createObjectBuilder();
        if (hashedEmail != null) {
            b.add("hashedEmail", hashedEmail);
        }
        if (hashedPhoneNumber != null) {
            b.add("hashedPhoneNumber", hashedPhoneNumber);
        }
        if (address != null) {
            b.add("addressInfo", Jsons.JSON.createObjectBuilder()
                    .add("hashedFirstName", address.hashedFirstName()).add("hashedLastName", address.hashedLastName())
                    .add("countryCode", address.countryCode()).add("postalCode", address.postalCode()));
        }
        return b.build().toString();
    }

    public static CustomerIdentifiers fromJson(String json) {
        if (!json.contains("addressInfo") && json.indexOf('\\') < 0) {
            // the stored form of an email and/or phone (hex hashes, as toJson writes them): read directly
            String email = value(json, "\"hashedEmail\":\"");
            String phone = value(json, "\"hashedPhoneNumber\":\"");
            if (email != null || phone != null || json.equals("{}")) {
                return new CustomerIdentifiers(email, phone, null);
            }
            // another spelling (spaces after the colons, say): the parser reads it
        }
        var o = Jsons.JSON.createReader(new StringReader(json)).readObject();
        var a = o.getJsonObject("addressInfo");
        return new CustomerIdentifiers(o.getString("hashedEmail", null), o.getString("hashedPhoneNumber", null),
                a == null ? null : new Address(a.getString("hashedFirstName"), a.getString("hashedLastName"),
                        a.getString("countryCode"), a.getString("postalCode")));
    }

    private static String value(String json, String prefix) {
        int start = json.indexOf(prefix);
        if (start < 0) {
            return null;
        }
        start += prefix.length();
        return json.substring(start, json.indexOf('"', start));
    }
}
