package io.segmatch.activation.identifiers;

import io.segmatch.datasets.entity.Identifiers;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The identifiers of one person (one row) for a Meta customer-list Custom Audience, one value
 * per key of Meta's multi-key schema, normalised as Meta asks (which differs from Google in
 * places) and hashed with SHA-256, lower-case hex:
 *
 * <ul>
 *   <li>{@code EMAIL}: trimmed, lower-cased, one {@code @} and a dotted domain (no Gmail
 *       canonicalisation: Meta does not ask for it);</li>
 *   <li>{@code PHONE}: the number with its country code, digits only (no {@code +}, no
 *       symbols or letters, no leading zeros), read with the dataset's default phone
 *       region when it has no country code (as for Google);</li>
 *   <li>{@code FN}, {@code LN}: lower-cased letters only (letters of any script, composed
 *       to NFC), no punctuation, digits or spaces;</li>
 *   <li>{@code ZIP}: lower-cased, no spaces or hyphens; a US code keeps its first five
 *       digits;</li>
 *   <li>{@code COUNTRY}: the ISO 3166-1 alpha-2 code, lower-cased (hashed, unlike Google's
 *       plain country code).</li>
 * </ul>
 *
 * A value that already is a SHA-256 hash is sent as it is (lower-cased). A value that
 * normalises to nothing is left blank, never hashed.
 *
 * @param email     hashed, or null
 * @param phone     hashed, or null
 * @param firstName hashed, or null
 * @param lastName  hashed, or null
 * @param zip       hashed, or null
 * @param country   hashed, or null
 */
public record MetaIdentifiers(String email, String phone, String firstName, String lastName, String zip, String country) {

    /** The multi-key schema every row is sent in, in this order. */
    public static final List<String> SCHEMA = List.of("EMAIL", "PHONE", "FN", "LN", "ZIP", "COUNTRY");

    private static final Pattern NOT_A_LETTER = Pattern.compile("[^\\p{L}\\p{M}]+");
    private static final Pattern ZIP_NOISE = Pattern.compile("[\\s\\p{Z}-]+");
    private static final Pattern US_ZIP = Pattern.compile("(\\d{5})(?:-?\\d{4})?");

    /** Whether no key has a value: such a row is skipped and counted, never sent. */
    public boolean isEmpty() {
        return email == null && phone == null && firstName == null && lastName == null && zip == null && country == null;
    }

    /** The row's values in {@link #SCHEMA} order, a blank string for a key without a value. */
    public List<String> row() {
        List<String> row = new ArrayList<>(SCHEMA.size());
        for (String v : new String[]{email, phone, firstName, lastName, zip, country}) {
            row.add(v == null ? "" : v);
        }
        return row;
    }

    /** The identifiers of a row, read from the columns the dataset's roles name. */
    public static MetaIdentifiers of(Map<String, String> values, Identifiers roles) {
        Function<String, String> value = role -> {
            String column = roles.column(role);
            return column == null ? null : values.get(column);
        };
        String rawCountry = value.apply("countryCode");
        String country = country(rawCountry);
        return new MetaIdentifiers(
                CustomerIdentifiers.hashed(value.apply("email"), MetaIdentifiers::email),
                CustomerIdentifiers.hashed(value.apply("phone"), v -> phone(v, roles.getDefaultPhoneRegion())),
                CustomerIdentifiers.hashed(value.apply("firstName"), MetaIdentifiers::name),
                CustomerIdentifiers.hashed(value.apply("lastName"), MetaIdentifiers::name),
                CustomerIdentifiers.hashed(value.apply("postalCode"), v -> zip(v, country)),
                CustomerIdentifiers.hashed(rawCountry, MetaIdentifiers::country));
    }

    /** Trimmed and lower-cased, or null without one {@code @} and a dotted domain. */
    public static String email(String raw) {
        return Normalization.email(raw, false);
    }

    /**
     * The country code and number as digits, no {@code +} ({@code +49 30 1234567} →
     * {@code 49301234567}); a number without a country code is read in {@code region}
     * (ISO alpha-2; none: refused).
     */
    public static String phone(String raw, String region) {
        String e164 = Normalization.phone(raw, region);
        return e164 == null ? null : e164.substring(1);
    }

    /** Letters only, lower-cased, in NFC: {@code "O'Brien-Smith"} → {@code "obriensmith"}. */
    public static String name(String raw) {
        if (raw == null) {
            return null;
        }
        String v = NOT_A_LETTER.matcher(Normalizer.normalize(raw, Normalizer.Form.NFC)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        return v.isEmpty() ? null : v;
    }

    /**
     * Lower-cased without spaces or hyphens; in the US ({@code country} {@code us}, or a
     * code shaped {@code 12345-6789} where the country is not known) the first five digits.
     */
    public static String zip(String raw, String country) {
        if (raw == null) {
            return null;
        }
        String v = raw.strip();
        var us = US_ZIP.matcher(v);
        if (us.matches() && (country == null || country.equals("us"))) {
            return us.group(1);
        }
        v = ZIP_NOISE.matcher(v).replaceAll("").toLowerCase(Locale.ROOT);
        return v.isEmpty() ? null : v;
    }

    /** The two-letter code lower-cased, or null. */
    public static String country(String raw) {
        String code = Normalization.countryCode(raw);
        return code == null ? null : code.toLowerCase(Locale.ROOT);
    }
}
