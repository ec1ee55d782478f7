package io.segmatch.datasets.store;

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
}
