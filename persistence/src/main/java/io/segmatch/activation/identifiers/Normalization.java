package io.segmatch.activation.identifiers;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata;
import com.google.i18n.phonenumbers.Phonenumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Normalises identifier values before hashing (google-customer-match.md, 3.3). Each method
 * returns null when nothing usable is left: an empty value is never hashed.
 */
public final class Normalization {

    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{1,14}");
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+");
    private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}+");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private Normalization() {
    }

    /**
     * NFC, all whitespace removed, lower-cased, {@code local@domain.tld}; for gmail.com and
     * googlemail.com (when {@code canonicalGmail}) the local part loses its dots and any
     * {@code +tag}. Other domains keep both.
     */
    public static String email(String raw, boolean canonicalGmail) {
        if (raw == null) {
            return null;
        }
        String n = nfc(raw);
        String v = (plain(n) ? n : WHITESPACE.matcher(n).replaceAll("")).toLowerCase(Locale.ROOT);
        int at = v.indexOf('@');
        if (at <= 0 || at != v.lastIndexOf('@')) {
            return null;
        }
        String local = v.substring(0, at);
        String domain = v.substring(at + 1);
        int dot = domain.lastIndexOf('.');
        if (dot <= 0 || dot == domain.length() - 1) {
            return null;
        }
        if (canonicalGmail && (domain.equals("gmail.com") || domain.equals("googlemail.com"))) {
            int plus = local.indexOf('+');
            local = (plus >= 0 ? local.substring(0, plus) : local).replace(".", "");
            if (local.isEmpty()) {
                return null;
            }
        }
        return local + "@" + domain;
    }

    /**
     * E.164 ({@code +} and up to 15 digits) through libphonenumber; a number without a
     * country code is read in {@code defaultRegion} (ISO 3166 alpha-2), or refused when none
     * is given. Numbers that cannot exist (too short or too long for their country) are refused.
     * A value already written as {@code +} and digits takes a shorter way to the same answer
     * ({@link #e164Digits}): the parser's general reading costs about ten times more, and a
     * first sync reads a million phones.
     */
    public static String phone(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String v = raw.trim();
        String fast = e164Digits(v);
        if (fast != UNDECIDED) {
            return fast;
        }
        return parsed(v, defaultRegion);
    }

    /** {@link #phone} through libphonenumber's parser alone (the reference the shorter way is tested against). */
    static String parsed(String raw, String defaultRegion) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        String region = defaultRegion == null || defaultRegion.isBlank() ? "ZZ" : defaultRegion.trim().toUpperCase(Locale.ROOT);
        try {
            Phonenumber.PhoneNumber number = util.parse(raw.trim(), region);
            return e164(util, number);
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static String e164(PhoneNumberUtil util, Phonenumber.PhoneNumber number) {
        // possible with its country code (not a local-only short number); the stricter
        // validity check would refuse numbers of ranges newer than the library's metadata
        if (util.isPossibleNumberWithReason(number) != PhoneNumberUtil.ValidationResult.IS_POSSIBLE) {
            return null;
        }
        String e164 = util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        return E164.matcher(e164).matches() ? e164 : null;
    }

    /** {@link #e164Digits}: the parser must decide. */
    private static final String UNDECIDED = new String("undecided");
    private static final Set<Integer> CALLING_CODES = PhoneNumberUtil.getInstance().getSupportedCallingCodes();
    private static final MetadataSource METADATA = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    /** Per calling code: the national prefix the parser would strip after it, if the region has one. */
    private static final Map<Integer, Optional<Pattern>> NATIONAL_PREFIX = new ConcurrentHashMap<>();

    /**
     * What the parser makes of {@code +} and digits, without its general reading: the calling
     * code is the first of the number's first one to three digits that is one (calling codes
     * are prefix-free; the parser tries them in the same order), the rest is the national number.
     * The parser would change that national number only where it starts with a zero (kept as
     * an Italian leading zero) or with what the region's metadata calls a national prefix (a
     * trunk prefix written after the country code, stripped); those, and any other shape, are
     * left to the parser ({@link #UNDECIDED}). Returns the E.164 form, or null when refused.
     */
    static String e164Digits(String v) {
        int n = v.length();
        // '+', a first digit that can start a calling code, at most 17 digits (the parser's limit for the national number and code)
        if (n < 4 || n > 18 || v.charAt(0) != '+' || v.charAt(1) < '1' || v.charAt(1) > '9') {
            return UNDECIDED;
        }
        for (int i = 2; i < n; i++) {
            char ch = v.charAt(i);
            if (ch < '0' || ch > '9') {
                return UNDECIDED;
            }
        }
        int code = 0;
        int end = 1;
        while (end <= 3) {
            code = code * 10 + v.charAt(end++) - '0';
            if (CALLING_CODES.contains(code)) {
                break;
            }
        }
        if (!CALLING_CODES.contains(code)) {
            return UNDECIDED;
        }
        String national = v.substring(end);
        if (national.length() < 2 || national.charAt(0) == '0') {
            return UNDECIDED;
        }
        Optional<Pattern> prefix = NATIONAL_PREFIX.computeIfAbsent(code, Normalization::nationalPrefix);
        if (prefix.isPresent() && prefix.get().matcher(national).lookingAt()) {
            return UNDECIDED;
        }
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        return e164(util, new Phonenumber.PhoneNumber().setCountryCode(code).setNationalNumber(Long.parseLong(national)));
    }

    private static Optional<Pattern> nationalPrefix(int code) {
        String region = PhoneNumberUtil.getInstance().getRegionCodeForCountryCode(code);
        Phonemetadata.PhoneMetadata metadata = "001".equals(region) ? METADATA.getMetadataForNonGeographicalRegion(code)
                : METADATA.getMetadataForRegion(region);
        if (metadata == null || metadata.getNationalPrefixForParsing().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Pattern.compile(metadata.getNationalPrefixForParsing()));
    }

    /** NFC, trimmed, lower-cased, inner runs of whitespace collapsed to one space. */
    public static String firstName(String raw) {
        if (raw == null) {
            return null;
        }
        String v = WHITESPACE.matcher(nfc(raw).strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
        return v.isEmpty() ? null : v;
    }

    /** As {@link #firstName}, without punctuation. */
    public static String lastName(String raw) {
        String v = firstName(raw == null ? null : PUNCTUATION.matcher(raw).replaceAll(""));
        return v == null || v.isBlank() ? null : v;
    }

    /** Two letters, upper-cased (sent as is, never hashed). */
    public static String countryCode(String raw) {
        if (raw == null) {
            return null;
        }
        String v = raw.strip().toUpperCase(Locale.ROOT);
        return COUNTRY.matcher(v).matches() ? v : null;
    }

    /** Trimmed (sent as is, never hashed). */
    public static String postalCode(String raw) {
        if (raw == null) {
            return null;
        }
        String v = raw.strip();
        return v.isEmpty() ? null : v;
    }

    private static String nfc(String v) {
        return ascii(v) ? v : Normalizer.normalize(v, Normalizer.Form.NFC);
    }

    /** Whether a value is ASCII (then already in NFC). */
    private static boolean ascii(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Whether an ASCII value holds no whitespace (the common email: nothing to remove). */
    private static boolean plain(String v) {
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch >= 0x80 || ch <= ' ' || ch == 0x7F) {
                return false;
            }
        }
        return true;
    }
}
