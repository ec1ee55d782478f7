package io.segmatch.datasets.entity;

import java.util.Locale;
import java.util.Optional;

/**
 * The type of a dataset column and which values conform to it (segments.md, "Datasets,
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

    static boolean isBoolean(String v) {
        return switch (v.length()) {
            case 2 -> v.equalsIgnoreCase("no");
            case 3 -> v.equalsIgnoreCase("yes");
            case 4 -> v.equalsIgnoreCase("true");
            case 5 -> v.equalsIgnoreCase("false");
            default -> false;
        };
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} */
    static boolean isNumber(String v) {
        int n = v.length();
        int i = 0;
        if (i < n && v.charAt(i) == '-') {
            i++;
        }
        if (i >= n || !digit(v.charAt(i))) {
            return false;
        }
        if (v.charAt(i) == '0') {
            i++;
        } else {
            while (i < n && digit(v.charAt(i))) {
                i++;
            }
        }
        if (i < n && v.charAt(i) == '.') {
            i++;
            int start = i;
            while (i < n && digit(v.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i < n && (v.charAt(i) == 'e' || v.charAt(i) == 'E')) {
            i++;
            if (i < n && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            while (i < n && digit(v.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        return i == n;
    }

    /** {@code yyyy-MM-dd} at {@code at}, a real calendar day. */
    static boolean isDate(String v, int at) {
        if (v.length() < at + 10 || v.charAt(at + 4) != '-' || v.charAt(at + 7) != '-') {
            return false;
        }
        int year = digits(v, at, 4);
        int month = digits(v, at + 5, 2);
        int day = digits(v, at + 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        return day <= java.time.YearMonth.of(year, month).lengthOfMonth();
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
        return (zone == '+' || zone == '-') && i + 6 == n && time(v, i + 1, 18) && v.charAt(i + 3) == ':'
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
