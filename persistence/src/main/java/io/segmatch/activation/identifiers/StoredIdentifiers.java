package io.segmatch.activation.identifiers;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The stored form of a person's identifiers (the JSON a destination takes, as
 * {@code Destination.identifiers} writes it) in the jobs, the acknowledged people and the
 * refused ones: the same text, packed. Every run of 64 lowercase hex digits (a SHA-256 hash)
 * becomes a marker byte and its 32 bytes, and each of the few fixed pieces of JSON around the
 * hashes becomes one byte; everything else is the text's UTF-8. Google's email and phone,
 * 169 characters as JSON, are stored in 69 bytes.
 *
 * <p>Lossless for every well-formed string (a lone surrogate, which UTF-8 cannot carry, is
 * not): {@link #unpack} gives back exactly the text {@link #pack} was given. Bytes below 0x20
 * never occur in JSON's UTF-8 (control characters are escaped in it), so they are free to mark
 * what was packed; such a byte in another text is kept behind an escape byte. Plain UTF-8 with
 * no byte below 0x20 unpacks to itself: identifiers stored as text before this form read the
 * same.
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

    private static final byte[][] PIECE_BYTES = PIECES.stream().map(p -> p.getBytes(StandardCharsets.US_ASCII))
            .toArray(byte[][]::new);
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** 0 for the bytes of lowercase hex digits, 1 for every other byte. */
    private static final byte[] NOT_HEX = new byte[256];
    /** The value of each lowercase hex digit's byte. */
    private static final byte[] VALUE = new byte[128];

    static {
        Arrays.fill(NOT_HEX, (byte) 1);
        for (int v = 0; v < DIGITS.length; v++) {
            NOT_HEX[DIGITS[v]] = 0;
            VALUE[DIGITS[v]] = (byte) v;
        }
    }

    private StoredIdentifiers() {
    }

    /** The stored form of {@code json} (a plan packs a job's million people this way, for a binary COPY). */
    public static byte[] pack(String json) {
        // the text's UTF-8 (for ASCII, a copy of the string's own bytes); every byte below 0x80
        // outside a hash or a piece is a character of its own, the others are its UTF-8 as is
        byte[] in = json.getBytes(StandardCharsets.UTF_8);
        int n = in.length;
        // at most two bytes per byte (an escaped one)
        byte[] out = new byte[2 * n];
        int o = 0;
        int i = 0;
        while (i < n) {
            byte b = in[i];
            if (isHex(b) && i + 64 <= n && hexRun(in, i)) {
                out[o++] = HASH;
                for (int k = i; k < i + 64; k += 2) {
                    out[o++] = (byte) (VALUE[in[k]] << 4 | VALUE[in[k + 1]]);
                }
                i += 64;
                continue;
            }
            if (b == '{' || b == '"' || b == '[') {
                int piece = piece(in, i);
                if (piece >= 0) {
                    out[o++] = (byte) (FIRST_PIECE + piece);
                    i += PIECE_BYTES[piece].length;
                    continue;
                }
            }
            if (b >= 0 && b < 0x20) {
                out[o++] = ESCAPE;
            }
            out[o++] = b;
            i++;
        }
        return Arrays.copyOf(out, o);
    }

    /** The text stored as {@code stored} ({@link #pack}, or plain UTF-8 text). */
    public static String unpack(byte[] stored) {
        if (stored == null) {
            return null;
        }
        // the text's UTF-8, decoded once at the end (a full plan reads a million of these)
        byte[] text = new byte[stored.length * 2 + 64];
        int o = 0;
        int i = 0;
        while (i < stored.length) {
            if (text.length - o < 64) {
                text = Arrays.copyOf(text, text.length * 2);
            }
            int b = stored[i] & 0xff;
            if (b >= 0x20) {
                text[o++] = stored[i++];
            } else if (b == HASH) {
                check(stored, i + 33);
                for (int k = i + 1; k < i + 33; k++) {
                    o = byteHex(text, o, stored[k] & 0xff);
                }
                i += 33;
            } else if (b == ESCAPE) {
                check(stored, i + 2);
                text[o++] = stored[i + 1];
                i += 2;
            } else if (b - FIRST_PIECE < PIECE_BYTES.length) {
                byte[] piece = PIECE_BYTES[b - FIRST_PIECE];
                System.arraycopy(piece, 0, text, o, piece.length);
                o += piece.length;
                i++;
            } else {
                throw new IllegalArgumentException("not stored identifiers: byte " + b + " at " + i);
            }
        }
        return new String(text, 0, o, StandardCharsets.UTF_8);
    }

    private static void check(byte[] stored, int end) {
        if (end > stored.length) {
            throw new IllegalArgumentException("not stored identifiers: cut short at " + stored.length);
        }
    }

    private static int piece(byte[] in, int at) {
        for (int p = 0; p < PIECE_BYTES.length; p++) {
            byte[] piece = PIECE_BYTES[p];
            if (at + piece.length > in.length) {
                continue;
            }
            int k = 0;
            while (k < piece.length && in[at + k] == piece[k]) {
                k++;
            }
            if (k == piece.length) {
                return p;
            }
        }
        return -1;
    }

    /** Whether the 64 bytes from {@code from} are lowercase hex digits: without a branch per digit (they come at random). */
    private static boolean hexRun(byte[] in, int from) {
        int notHex = 0;
        for (int i = from; i < from + 64; i++) {
            notHex |= NOT_HEX[in[i] & 0xff];
        }
        return notHex == 0;
    }

    private static int byteHex(byte[] out, int at, int b) {
        out[at] = DIGITS[b >> 4];
        out[at + 1] = DIGITS[b & 0xf];
        return at + 2;
    }

    private static boolean isHex(byte c) {
        return NOT_HEX[c & 0xff] == 0;
    }
}
