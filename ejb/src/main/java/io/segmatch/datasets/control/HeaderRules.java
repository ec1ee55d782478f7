package io.segmatch.datasets.control;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The header of an upload: names trimmed, none empty, none equal ignoring case, and a
 * first line that is a header rather than data; plus the key column choice.
 */
public final class HeaderRules {

    /** Columns that name the key when the upload does not, in order of preference. */
    static final List<String> KEY_CANDIDATES = List.of("id", "customer_id", "external_id", "email");

    private HeaderRules() {
    }

    /** Validates and trims the header record. */
    public static List<String> header(String[] fields, long line) {
        List<String> names = new ArrayList<>(fields.length);
        List<FieldError> errors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < fields.length; i++) {
            String name = fields[i].trim();
            names.add(name);
            if (name.isEmpty()) {
                errors.add(FieldError.field("header[" + (i + 1) + "]", "column " + (i + 1) + " has an empty name"));
                continue;
            }
            if (name.indexOf('\0') >= 0) {
                errors.add(FieldError.field("header[" + (i + 1) + "]", "column " + (i + 1)
                        + " has a NUL character in its name"));
                continue;
            }
            Integer earlier = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
            if (earlier != null) {
                errors.add(FieldError.field("header[" + (i + 1) + "]", "column " + (i + 1) + " '" + name
                        + "' repeats column " + (earlier + 1) + " '" + names.get(earlier) + "' (names are compared ignoring case)"));
            }
        }
        if (!errors.isEmpty()) {
            throw SegmatchException.invalid("invalid-header", "line " + line + ": the header has "
                    + (errors.size() == 1 ? "an invalid column name" : errors.size() + " invalid column names")
                    + ": " + String.join("; ", errors.stream().map(FieldError::message).toList()), errors);
        }
        if (looksLikeData(names)) {
            throw SegmatchException.invalid("no-header", "line " + line + " looks like data, not a header ("
                    + String.join(", ", names) + "): the first line of the file must name the columns");
        }
        return names;
    }

    /**
     * A first line where most names are numbers, dates, timestamps or e-mail addresses is a
     * data row: the file has no header.
     */
    static boolean looksLikeData(List<String> names) {
        int dataLike = 0;
        for (String name : names) {
            if (ColumnType.NUMBER.conforms(name) || ColumnType.DATE.conforms(name)
                    || ColumnType.TIMESTAMP.conforms(name) || name.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                dataLike++;
            }
        }
        return dataLike * 2 > names.size();
    }

    /** The index of a column in the header, ignoring case. */
    public static Optional<Integer> indexOf(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equalsIgnoreCase(name.trim())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * The key column of a first upload: the one named by {@code key}, else the first column
     * named id, customer_id, external_id or email.
     */
    public static int keyColumn(List<String> header, String key) {
        if (key != null && !key.isBlank()) {
            return indexOf(header, key).orElseThrow(() -> SegmatchException.invalid("unknown-key-column",
                    "the key column '" + key.trim() + "' is not in the file; its columns are: " + String.join(", ", header),
                    List.of(FieldError.field("key", "no column named '" + key.trim() + "'"))));
        }
        for (int i = 0; i < header.size(); i++) {
            if (KEY_CANDIDATES.contains(header.get(i).toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        throw SegmatchException.invalid("no-key-column", "name the key column with the key parameter: no column is "
                        + "called id, customer_id, external_id or email. The file's columns are: " + String.join(", ", header),
                List.of(FieldError.field("key", "required: one of " + String.join(", ", header))));
    }
}
