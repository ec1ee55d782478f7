package io.segmatch.datasets.entity;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;
import java.util.Optional;

/**
 * The type of a dataset column and which values conform to it (docs/segments.md, "Datasets,
 * columns and types"). Inference tries the types in declaration order, string last.
 */
public enum ColumnType {
    BOOLEAN, NUMBER, DATE, TIMESTAMP, STRING;

    /** The lower-case name used in the API and the database. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ColumnType> fromApiName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (ColumnType type : values()) {
            if (type.apiName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a non-missing, trimmed value conforms to this type. Hand-written scanners, not
     * regular expressions or java.time parsers: uploads call this for every value.
     */
    public boolean conforms(String value) {
        return switch (this) {
            case STRING -> true;
            case BOOLEAN -> isBoolean(value);
            case NUMBER -> isNumber(value);
            case DATE -> value.length() == 10 && isDate(value, 0);
            case TIMESTAMP -> isTimestamp(value);
        };
    }

    /**
     * The comparable form of a stored value, or null when it is missing or does not conform:
     * strings lower-cased with the root locale, numbers as {@link java.math.BigDecimal},
     * booleans, {@link java.time.LocalDate}s and {@link java.time.Instant}s (rounded to the
     * microsecond as PostgreSQL does; no zone means UTC).
     */
    public Object parse(String value) {
        if (value == null || value.isEmpty() || !conforms(value)) {
            return null;
        }
        return switch (this) {
            case STRING -> value.toLowerCase(Locale.ROOT);
            case NUMBER -> new BigDecimal(value);
            case BOOLEAN -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes");
            case DATE -> LocalDate.parse(value);
            case TIMESTAMP -> instant(value);
        };
    }

    private static Instant instant(String v) {
        long micros = epochMicros(v);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    /** The day of a conforming date (or of a conforming timestamp's date), counted from 1970-01-01. */
    public static long epochDay(String v) {
        return LocalDate.of(digits(v, 0, 4), digits(v, 5, 2), digits(v, 8, 2)).toEpochDay();
    }

    /**
     * The microsecond of a conforming timestamp, counted from 1970-01-01T00:00Z: no zone is UTC;
     * a fraction of up to six digits is exact, a longer one is read as a double and rounded to
     * the microsecond, as PostgreSQL reads it ({@code rint}).
     */
    public static long epochMicros(String v) {
        long seconds = epochDay(v) * 86_400 + digits(v, 11, 2) * 3600L + digits(v, 14, 2) * 60L;
        long micros = 0;
        int i = 16;
        int n = v.length();
        if (i < n && v.charAt(i) == ':') {
            seconds += digits(v, i + 1, 2);
            i += 3;
            if (i < n && v.charAt(i) == '.') {
                int start = ++i;
                while (i < n && digit(v.charAt(i))) {
                    i++;
                }
                if (i - start <= 6) {
                    micros = digits(v, start, i - start);
                    for (int k = i - start; k < 6; k++) {
                        micros *= 10;
                    }
                } else {
                    micros = (long) Math.rint(Double.parseDouble("0." + v.substring(start, i)) * 1_000_000);
                }
            }
        }
        if (i < n && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
            long offset = digits(v, i + 1, 2) * 3600L + digits(v, i + 4, 2) * 60L;
            seconds -= v.charAt(i) == '-' ? -offset : offset;
        }
        return seconds * 1_000_000 + micros;
    }

    static boolean isBoolean(String v) {
        return switch (v.length()) {
            case 2 -> v.equalsIgnoreCase("no");
            case 3 -> v.equalsIgnoreCase("yes");
            case 4 -> v.equalsIgnoreCase("true");
            case 5 -> v.equalsIgnoreCase("false");
            default -> false;
        };
    }

    /**
     * {@code -?(0|[1-9][0-9]{0,299})(\.[0-9]{1,300})?([eE][+-]?[0-9]{1,3})?}: the limits keep every
     * number within what PostgreSQL's numeric type takes, so SQL and Java read the same values.
     */
    static boolean isNumber(String v) {
        int n = v.length();
        int i = 0;
        if (i < n && v.charAt(i) == '-') {
            i++;
        }
        if (i >= n || !digit(v.charAt(i))) {
            return false;
        }
        int start = i;
        if (v.charAt(i) == '0') {
            i++;
        } else {
            while (i < n && digit(v.charAt(i))) {
                i++;
            }
        }
        if (i - start > 300) {
            return false;
        }
        if (i < n && v.charAt(i) == '.') {
            i++;
            start = i;
            while (i < n && digit(v.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 300) {
                return false;
            }
        }
        if (i < n && (v.charAt(i) == 'e' || v.charAt(i) == 'E')) {
            i++;
            if (i < n && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
                i++;
            }
            start = i;
            while (i < n && digit(v.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 3) {
                return false;
            }
        }
        return i == n;
    }

    /** {@code yyyy-MM-dd} at {@code at}, a real calendar day from year 1 (PostgreSQL has no year 0). */
    static boolean isDate(String v, int at) {
        if (v.length() < at + 10 || v.charAt(at + 4) != '-' || v.charAt(at + 7) != '-') {
            return false;
        }
        int year = digits(v, at, 4);
        int month = digits(v, at + 5, 2);
        int day = digits(v, at + 8, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        return day <= YearMonth.of(year, month).lengthOfMonth();
    }

    /** A date, {@code T} or a space, {@code HH:mm[:ss[.f{1,9}]]}, then {@code Z} or {@code ±hh:mm} or nothing. */
    static boolean isTimestamp(String v) {
        int n = v.length();
        if (n < 16 || !isDate(v, 0) || (v.charAt(10) != 'T' && v.charAt(10) != ' ')) {
            return false;
        }
        if (!time(v, 11, 23) || v.charAt(13) != ':' || !time(v, 14, 59)) {
            return false;
        }
        int i = 16;
        if (i < n && v.charAt(i) == ':') {
            if (!time(v, i + 1, 59)) {
                return false;
            }
            i += 3;
            if (i < n && v.charAt(i) == '.') {
                i++;
                int start = i;
                while (i < n && digit(v.charAt(i))) {
                    i++;
                }
                if (i == start || i - start > 9) {
                    return false;
                }
            }
        }
        if (i == n) {
            return true;
        }
        char zone = v.charAt(i);
        if (zone == 'Z' || zone == 'z') {
            return i + 1 == n;
        }
        return (zone == '+' || zone == '-') && i + 6 == n && time(v, i + 1, 15) && v.charAt(i + 3) == ':'
                && time(v, i + 4, 59);
    }

    private static boolean time(String v, int at, int max) {
        int value = digits(v, at, 2);
        return value >= 0 && value <= max;
    }

    /** The number written by {@code count} digits at {@code at}, or -1. */
    private static int digits(String v, int at, int count) {
        if (v.length() < at + count) {
            return -1;
        }
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = v.charAt(i);
            if (!digit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
