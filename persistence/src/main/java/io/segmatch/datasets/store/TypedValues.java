package io.segmatch.datasets.store;

import io.segmatch.datasets.entity.ColumnType;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The two forms values take on their way to a typed table: a direct load's raw values on
 * disk (key, then each value or none, length-prefixed UTF-8), and each value's typed form as
 * PostgreSQL reads it for its column's SQL type.
 */
final class TypedValues {

    private TypedValues() {
    }

    /** Appends a row's key and values (null: missing) to a direct load's values file. */
    static void writeRaw(DataOutputStream out, String key, String[] values) throws IOException {
        writeString(out, key);
        for (String value : values) {
            writeString(out, value);
        }
    }

    /** Reads the next row written by {@link #writeRaw} into {@code values}; returns its key, or null at the end. */
    static String readRaw(DataInputStream in, String[] values) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        String key = readString(in, length);
        for (int i = 0; i < values.length; i++) {
            values[i] = readString(in, in.readInt());
        }
        return key;
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in, int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Appends a value's typed form in COPY text format ({@code \N} when it has none). */
    static void typed(StringBuilder out, ColumnType type, String raw) {
        String text = text(type, raw);
        if (text == null) {
            out.append("\\N");
        } else {
            UploadStage.escape(out, text);
        }
    }

    /**
     * A value's typed form as PostgreSQL reads it for the column's SQL type, or null when it
     * has none: what {@link ColumnType#parse} gives, written without building it (this runs for
     * every value of an upload). Conforming numbers and dates are read as written, as the SQL
     * functions read them; a timestamp gets their normalisation ('T', upper case, UTC when it
     * names no zone), and PostgreSQL rounds its fraction as {@code parse} does.
     */
    static String text(ColumnType type, String raw) {
        if (raw == null || raw.isEmpty() || !type.conforms(raw)) {
            return null;
        }
        return switch (type) {
            case STRING -> raw.toLowerCase(Locale.ROOT);
            case BOOLEAN -> raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("yes") ? "t" : "f";
            case TIMESTAMP -> {
                String v = raw.replace(' ', 'T').toUpperCase(Locale.ROOT);
                char sign = v.charAt(v.length() - 6);
                yield v.endsWith("Z") || sign == '+' || sign == '-' ? v : v + "Z";
            }
            case NUMBER, DATE -> raw;
        };
    }
}
