package io.segmatch.datasets.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes row values as a JSON object of strings. Hand-written because the bulk upload
 * builds one object per row and a general JSON library would dominate its cost.
 */
public final class JsonText {

    private JsonText() {
    }

    /** A JSON object with the entries whose value is not null, in map order. */
    public static String object(Map<String, String> values) {
        StringBuilder out = new StringBuilder(32 + values.size() * 24);
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, e.getKey());
            out.append(':');
            string(out, e.getValue());
        }
        return out.append('}').toString();
    }

    /** Appends a JSON string literal. */
    public static void string(StringBuilder out, String value) {
        if (plain(value)) {
            out.append('"').append(value).append('"');
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Whether a value needs no escaping (the common case, appended in one piece). */
    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * Rows of one set of columns written as PostgreSQL prints a {@code jsonb} object of
     * strings: keys shorter first, then in byte order (jsonb's own order), {@code ": "} and
     * {@code ", "} between them, strings escaped as {@link #string} does. The text of a row so
     * written equals its stored {@code jsonb} cast to text, so an upload can compare a staged
     * row with a stored one as text without parsing it, and the database parsing it finds its
     * keys already in order.
     */
    public static final class Layout {
        private final int[] order;
        private final String[] prefixes;

        /** {@code names}: the columns in the order of the values given to {@link #object}; no name twice. */
        public Layout(List<String> names) {
            order = new int[names.size()];
            Integer[] sorted = new Integer[names.size()];
            for (int i = 0; i < sorted.length; i++) {
                sorted[i] = i;
            }
            byte[][] bytes = names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            Arrays.sort(sorted, Comparator.<Integer>comparingInt(i -> bytes[i].length)
                    .thenComparing(i -> bytes[i], Arrays::compareUnsigned));
            prefixes = new String[names.size()];
            for (int i = 0; i < sorted.length; i++) {
                order[i] = sorted[i];
                StringBuilder prefix = new StringBuilder();
                string(prefix, names.get(sorted[i]));
                prefixes[i] = prefix.append(": ").toString();
            }
        }

        /** The object of the values that are not null ({@code out} is emptied first and reused). */
        public String object(String[] values, StringBuilder out) {
            out.setLength(0);
            out.append('{');
            boolean first = true;
            for (int i = 0; i < order.length; i++) {
                String value = values[order[i]];
                if (value == null) {
                    continue;
                }
                if (!first) {
                    out.append(", ");
                }
                first = false;
                out.append(prefixes[i]);
                string(out, value);
            }
            return out.append('}').toString();
        }
    }
}
