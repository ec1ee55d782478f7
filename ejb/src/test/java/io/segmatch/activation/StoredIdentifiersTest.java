package io.segmatch.activation;

import io.segmatch.activation.identifiers.CustomerIdentifiers;
import io.segmatch.activation.identifiers.StoredIdentifiers;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.IdentifierSettings;
import io.segmatch.datasets.entity.Identifiers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packed form of identifiers: every text comes back exactly, the destinations' JSON is
 * packed to a hash's 32 bytes plus a byte per piece, and identifiers stored as text before
 * read as they were.
 */
class StoredIdentifiersTest {

    private static final String HASH_A = "87924606b4131a8aceeeae8868531fbb9712aaa07a5d3a756b26ce0f5d6ca674";
    private static final String HASH_B = "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176";

    @Test
    void googleEmailAndPhoneTakeSixtyNineBytes() {
        String json = "{\"hashedEmail\":\"" + HASH_A + "\",\"hashedPhoneNumber\":\"" + HASH_B + "\"}";
        assertEquals(169, json.length());
        byte[] packed = StoredIdentifiers.pack(json);
        assertEquals(69, packed.length);
        // piece, hash, piece, hash, piece
        assertEquals(0x02, packed[0]);
        assertEquals(0x01, packed[1]);
        assertArrayEquals(HexFormat.of().parseHex(HASH_A), java.util.Arrays.copyOfRange(packed, 2, 34));
        assertEquals(json, StoredIdentifiers.unpack(packed));
    }

    @Test
    void theDestinationsOwnFormsComeBackExactly() {
        Identifiers roles = new Identifiers();
        roles.setColumn("email", "email");
        roles.setColumn("phone", "phone");
        roles.setColumn("firstName", "first");
        roles.setColumn("lastName", "last");
        roles.setColumn("countryCode", "country");
        roles.setColumn("postalCode", "zip");
        roles.setDefaultPhoneRegion("DE");
        Map<String, String> values = new HashMap<>();
        values.put("email", "Jane.Doe@Example.com");
        values.put("phone", "+49 30 1234567");
        values.put("first", "Jané");
        values.put("last", "O'Brien");
        values.put("country", "de");
        values.put("zip", "10115 \"x\"\\");
        IdentifierSettings settings = new IdentifierSettings(false, true);
        for (Destination d : Destination.values()) {
            String json = d.identifiers("key\t1 ü", values, roles, settings);
            byte[] packed = StoredIdentifiers.pack(json);
            assertEquals(json, StoredIdentifiers.unpack(packed), d.apiName());
            assertTrue(packed.length < json.length() / 2 + 40, d.apiName() + ": " + packed.length + " of " + json.length());
        }
        String google = Destination.GOOGLE_ADS.identifiers("k", values, roles, settings);
        assertEquals(CustomerIdentifiers.fromJson(google),
                CustomerIdentifiers.fromJson(StoredIdentifiers.unpack(StoredIdentifiers.pack(google))));
    }

    @Test
    void textStoredBeforeReadsAsItWas() {
        // the migration kept each stored JSON text as its UTF-8 bytes
        String json = "{\"hashedEmail\":\"" + HASH_A + "\"}";
        assertEquals(json, StoredIdentifiers.unpack(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals("[\"ä\",\"\"]", StoredIdentifiers.unpack("[\"ä\",\"\"]".getBytes(StandardCharsets.UTF_8)));
        assertNull(StoredIdentifiers.unpack(null));
    }

    @Test
    void bytesThatAreNotStoredIdentifiersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> StoredIdentifiers.unpack(new byte[]{0x01, 0x02}));
        assertThrows(IllegalArgumentException.class, () -> StoredIdentifiers.unpack(new byte[]{0x1f}));
        assertThrows(IllegalArgumentException.class, () -> StoredIdentifiers.unpack(new byte[]{0x00}));
    }

    @Test
    void aHashIsStoredAsItsBytesBetweenPieces() {
        String json = "{\"hashedPhoneNumber\":\"" + HASH_B + "\"}";
        assertArrayEquals(HexFormat.of().parseHex("04" + "01" + HASH_B + "0b"), StoredIdentifiers.pack(json));
    }

    /** Random texts built from the pieces, hashes, near-hashes, control and non-ASCII characters. */
    @Test
    void everyTextComesBackExactly() {
        Random random = new Random(20261204L);
        String[] parts = {"{\"hashedEmail\":\"", "\",\"hashedPhoneNumber\":\"", "\"}", "\"}}", "[\"", "\",\"", "\"]",
                "\",\"postalCode\":\"", "{", "\"", "[", ",", "\\", "\u0000", "\u0001", "\u001f", "\n", "é", "\uD83D\uDE00",
                "x", "0", "f", "F", " "};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(5);
                if (kind == 0) {
                    // a hash, or a run of hex one shorter or longer than one
                    int length = 64 + random.nextInt(3) - 1 + (random.nextInt(4) == 0 ? 64 : 0);
                    for (int j = 0; j < length; j++) {
                        b.append("0123456789abcdef".charAt(random.nextInt(16)));
                    }
                } else {
                    b.append(parts[random.nextInt(parts.length)]);
                }
            }
            String text = b.toString();
            byte[] packed = StoredIdentifiers.pack(text);
            assertEquals(text, StoredIdentifiers.unpack(packed), () -> "round trip of " + text);
            assertArrayEquals(packed, StoredIdentifiers.pack(StoredIdentifiers.unpack(packed)));
        }
    }
}
