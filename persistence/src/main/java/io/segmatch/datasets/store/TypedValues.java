package io.segmatch.datasets.store;

import io.segmatch.datasets.entity.ColumnType;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The forms values take on their way to a typed table: a direct load's raw values on disk
 * (key, then each value or none, length-prefixed UTF-8), each value's typed form as text
 * (what PostgreSQL reads for its column's SQL type, as a row write binds it), and the same
 * value in COPY's binary format (as the loads and rebuilds of whole tables send it).
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

    /** PostgreSQL's epoch (2000-01-01) in days and in microseconds since 1970-01-01. */
    private static final long PG_EPOCH_DAY = 10_957;
    private static final long PG_EPOCH_MICROS = PG_EPOCH_DAY * 86_400_000_000L;

    /** A text field of COPY's binary format (null: none). */
    static void binaryText(DataOutputStream out, String value) throws IOException {
        writeString(out, value);
    }

    /**
     * A value's typed form as a field of COPY's binary format (its length, then PostgreSQL's
     * binary form of the column's SQL type), or a null field when it has none: the value
     * {@link #text} gives, as PostgreSQL would read that text, without PostgreSQL parsing it
     * (numbers, dates and timestamps cost the database a third of a text COPY's time). Read by
     * hand from the text the type's scanner accepted ({@link ColumnType#conforms}): through
     * {@code BigDecimal} and {@code java.time}'s parsers, the conversion took the Java side of a
     * million rows from 1.0 to 2.8 s.
     */
    static void binary(DataOutputStream out, ColumnType type, String raw) throws IOException {
        if (raw == null || raw.isEmpty() || !type.conforms(raw)) {
            out.writeInt(-1);
            return;
        }
        switch (type) {
            case STRING -> writeString(out, raw.toLowerCase(Locale.ROOT));
            case BOOLEAN -> {
                out.writeInt(1);
                out.writeByte(raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("yes") ? 1 : 0);
            }
            case DATE -> {
                out.writeInt(4);
                out.writeInt(Math.toIntExact(ColumnType.epochDay(raw) - PG_EPOCH_DAY));
            }
            case TIMESTAMP -> {
                out.writeInt(8);
                out.writeLong(ColumnType.epochMicros(raw) - PG_EPOCH_MICROS);
            }
            case NUMBER -> numeric(out, raw);
        }
    }

    /**
     * A conforming number in {@code numeric}'s binary form: digit count, weight, sign, display
     * scale, then base-10000 digits (the first multiplied by 10000 to the weight), without
     * leading or trailing zero digits. The display scale is the number's scale, as PostgreSQL
     * reads the same text: {@code 4699.70} keeps its two decimals, {@code 1e5} has none,
     * {@code 15e-4} has four. Written without an exponent (nearly every number), its digits are
     * read where they stand; with one, through {@code BigDecimal}.
     */
    static void numeric(DataOutputStream out, String raw) throws IOException {
        boolean negative = raw.charAt(0) == '-';
        int from = negative ? 1 : 0;
        String whole;
        String fraction;
        if (raw.indexOf('e') >= 0 || raw.indexOf('E') >= 0) {
            BigDecimal value = new BigDecimal(raw);
            int scale = value.scale();
            String digits = value.unscaledValue().abs().toString();
            if (scale <= 0) {
                whole = digits.equals("0") ? "" : digits + "0".repeat(-scale);
                fraction = "";
            } else if (digits.length() > scale) {
                whole = digits.substring(0, digits.length() - scale);
                fraction = digits.substring(digits.length() - scale);
            } else {
                whole = "";
                fraction = "0".repeat(scale - digits.length()) + digits;
            }
        } else {
            int point = raw.indexOf('.');
            whole = raw.substring(from, point < 0 ? raw.length() : point);
            fraction = point < 0 ? "" : raw.substring(point + 1);
            if (whole.equals("0")) {
                whole = "";
            }
        }
        // groups of four decimal digits on either side of the point
        int pad = (4 - whole.length() % 4) % 4;
        int groups = (pad + whole.length() + fraction.length() + 3) / 4;
        int weight = (whole.length() + 3) / 4 - 1;
        int first = 0;
        while (first < groups && group(whole, fraction, pad, first) == 0) {
            first++;
        }
        int last = groups;
        while (last > first && group(whole, fraction, pad, last - 1) == 0) {
            last--;
        }
        int count = last - first;
        out.writeInt(8 + 2 * count);
        out.writeShort(count);
        out.writeShort(count == 0 ? 0 : weight - first);
        out.writeShort(negative && count > 0 ? 0x4000 : 0);
        out.writeShort(fraction.length());
        for (int i = first; i < last; i++) {
            out.writeShort(group(whole, fraction, pad, i));
        }
    }

    /** The {@code index}th group of four digits of {@code pad} zeros, {@code whole}, {@code fraction} and zeros after. */
    private static int group(String whole, String fraction, int pad, int index) {
        int value = 0;
        for (int p = index * 4; p < index * 4 + 4; p++) {
            int at = p - pad;
            char c;
            if (at < 0) {
                c = '0';
            } else if (at < whole.length()) {
                c = whole.charAt(at);
            } else if (at - whole.length() < fraction.length()) {
                c = fraction.charAt(at - whole.length());
            } else {
                c = '0';
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
