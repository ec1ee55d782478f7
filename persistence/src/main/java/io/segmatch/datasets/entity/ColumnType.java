package io.segmatch.datasets.entity;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The type of a dataset column and which values conform to it (segments.md, "Datasets,
 * columns and types"). Inference tries the types in declaration order, string last.
 */
public enum ColumnType {
    BOOLEAN, NUMBER, DATE, TIMESTAMP, STRING;

    private static final Pattern NUMBER_PATTERN =
            Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern DATE_PATTERN = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern TIMESTAMP_PATTERN = Pattern.compile(
            "([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}):([0-9]{2})(:([0-9]{2})(\\.[0-9]{1,9})?)?"
                    + "(Z|z|[+-][0-9]{2}:[0-9]{2})?");

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

    /** Whether a non-missing, trimmed value conforms to this type. */
    public boolean conforms(String value) {
        return switch (this) {
            case STRING -> true;
            case BOOLEAN -> isBoolean(value);
            case NUMBER -> NUMBER_PATTERN.matcher(value).matches();
            case DATE -> isDate(value);
            case TIMESTAMP -> isTimestamp(value);
        };
    }

    static boolean isBoolean(String value) {
        return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                || value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("no");
    }

    static boolean isDate(String value) {
        if (value.length() != 10 || !DATE_PATTERN.matcher(value).matches()) {
            return false;
        }
        try {
            LocalDate.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static boolean isTimestamp(String value) {
        var m = TIMESTAMP_PATTERN.matcher(value);
        if (!m.matches() || !isDate(m.group(1))) {
            return false;
        }
        int hour = Integer.parseInt(m.group(2));
        int minute = Integer.parseInt(m.group(3));
        int second = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        if (hour > 23 || minute > 59 || second > 59) {
            return false;
        }
        String zone = m.group(7);
        if (zone != null && zone.length() == 6) {
            int zh = Integer.parseInt(zone.substring(1, 3));
            int zm = Integer.parseInt(zone.substring(4, 6));
            return zh <= 18 && zm <= 59;
        }
        return true;
    }
}
