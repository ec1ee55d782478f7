package io.segmatch.activation.identifiers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * The stored form of a person's identifiers (the JSON a destination takes, as
 * {@code Destination.identifiers} writes it) in the jobs, the acknowledged people and the
 * refused ones: the same text, packed. Every run of 64 lowercase hex digits (a SHA-256 hash)
 * becomes a marker byte and its 32 bytes, and each of the few fixed pieces of JSON around the
 * hashes becomes one byte; everything else is the text's UTF-8. Google's email and phone,
 * 169 characters as JSON, are stored in 69 bytes.
 *
 * <p>Lossless for every string: {@link #unpack} gives back exactly the text {@link #pack} was
 * given. Bytes below 0x20 never occur in JSON's UTF-8 (control characters are escaped in it), so
 * they are free to mark what was packed; such a byte in another text is kept behind an escape
 * byte. Plain UTF-8 with no byte below 0x20 unpacks to itself: identifiers stored as text before
 * this form read the same.
 */
public final class StoredIdentifiers {

    private static final int ESCAPE = 0x00;
    private static final int HASH = 0x01;
    private static final int FIRST_PIECE = 0x02;

    /** The fixed pieces of JSON that surround hashes in both destinations' forms, longest first where one begins another. */
    private static final List<String> PIECES = List.of(
            "{\"hashedEmail\":\"",
            "\",\"hashedPhoneNumber\":\"",
            "{\"hashedPhoneNumber\":\"",
            "\",\"addressInfo\":{\"hashedFirstName\":\"",
            "{\"addressInfo\":{\"hashedFirstName\":\"",
            "\",\"hashedLastName\":\"",
            "\",\"countryCode\":\"",
            "\",\"postalCode\":\"",
            "\"}}",
            "\"}",
            // Meta: an array of hashes in its schema's order, blank where a value is missing
            "[\"",
            "\",\"",
            "\"]");

    private static final HexFormat HEX = HexFormat.of();

    private StoredIdentifiers() {
    }

    /** The stored form of {@code json}. */
    public static byte[] pack(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() / 2 + 8);
        int literal = 0;
        int i = 0;
        int n = json.length();
        while (i < n) {
            char ch = json.charAt(i);
            if (isHex(ch) && i + 64 <= n && hexRun(json, i)) {
                flush(out, json, literal, i);
                out.write(HASH);
                out.writeBytes(HEX.parseHex(json, i, i + 64));
                i += 64;
                literal = i;
                continue;
            }
            if (ch == '{' || ch == '"' || ch == '[') {
                int piece = piece(json, i);
                if (piece >= 0) {
                    flush(out, json, literal, i);
                    out.write(FIRST_PIECE + piece);
                    i += PIECES.get(piece).length();
                    literal = i;
                    continue;
                }
            }
            if (ch < 0x20) {
                flush(out, json, literal, i);
                out.write(ESCAPE);
                out.write(ch);
                literal = i + 1;
            }
            i++;
        }
        flush(out, json, literal, n);
        return out.toByteArray();
    }

    /** The text stored as {@code stored} ({@link #pack}, or plain UTF-8 text). */
    public static String unpack(byte[] stored) {
        if (stored == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(stored.length * 2 + 16);
        int literal = 0;
        int i = 0;
        while (i < stored.length) {
            int b = stored[i] & 0xff;
            if (b >= 0x20) {
                i++;
                continue;
            }
            text.append(new String(stored, literal, i - literal, StandardCharsets.UTF_8));
            if (b == HASH) {
                check(stored, i + 33);
                HEX.formatHex(text, stored, i + 1, i + 33);
                i += 33;
            } else if (b == ESCAPE) {
                check(stored, i + 2);
                text.append((char) stored[i + 1]);
                i += 2;
            } else if (b - FIRST_PIECE < PIECES.size()) {
                text.append(PIECES.get(b - FIRST_PIECE));
                i++;
            } else {
                throw new IllegalArgumentException("not stored identifiers: byte " + b + " at " + i);
            }
            literal = i;
        }
        return text.append(new String(stored, literal, stored.length - literal, StandardCharsets.UTF_8)).toString();
    }

    /**
     * {@link #pack}'s bytes as a {@code bytea} value in PostgreSQL's hex input form
     * ({@code \x…}), for a COPY of text.
     */
    public static String byteaText(String json) {
        byte[] packed = pack(json);
        StringBuilder b = new StringBuilder(2 + packed.length * 2).append("\\x");
        return HEX.formatHex(b, packed).toString();
    }

    private static void check(byte[] stored, int end) {
        if (end > stored.length) {
            throw new IllegalArgumentException("not stored identifiers: cut short at " + stored.length);
        }
    }

    private static int piece(String json, int at) {
        for (int p = 0; p < PIECES.size(); p++) {
            if (json.startsWith(PIECES.get(p), at)) {
                return p;
            }
        }
        return -1;
    }

    private static boolean hexRun(String s, int from) {
        for (int i = from; i < from + 64; i++) {
            if (!isHex(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
    }

    private static void flush(ByteArrayOutputStream out, String s, int from, int to) {
        if (to > from) {
            out.writeBytes(s.substring(from, to).getBytes(StandardCharsets.UTF_8));
        }
    }
}
