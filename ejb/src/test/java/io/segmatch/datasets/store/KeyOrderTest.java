package io.segmatch.datasets.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyOrderTest {

    /** Characters from the ranges where UTF-16 and UTF-8 orders part: ASCII, Latin, U+E000–U+FFFF, above U+FFFF. */
    private static final int[] CODE_POINTS = {'0', '9', 'A', 'a', 'z', 0xE4, 0xE9, 0x4E2D, 0xE000, 0xFB01, 0xFFFD,
            0x1F600, 0x1F642, 0x10000, 0x10FFFF};

    @Test
    void comparesAsTheDatabaseComparesUtf8Bytes() {
        Random random = new Random(20261203);
        for (int i = 0; i < 200_000; i++) {
            String a = randomKey(random);
            String b = random.nextInt(10) == 0 ? a : randomKey(random);
            int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
            assertEquals(Integer.signum(bytes), Integer.signum(KeyOrder.compare(a, b)), () -> a + " vs " + b);
        }
        // where String.compareTo is wrong: U+1F600 (a surrogate pair) is above U+FFFD
        assertTrue("\uFFFD".compareTo("\uD83D\uDE00") > 0);
        assertTrue(KeyOrder.compare("\uFFFD", "\uD83D\uDE00") < 0);
    }

    @Test
    void keysAreInOrderOnlyWhileEachIsGreaterThanTheOneBefore() {
        Random random = new Random(7);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            keys.add(randomKey(random));
        }
        List<String> sorted = keys.stream().distinct().sorted(KeyOrder::compare).toList();
        KeyOrder order = new KeyOrder();
        sorted.forEach(order::next);
        assertTrue(order.ascending());

        KeyOrder repeated = new KeyOrder();
        List.of("a", "b", "b", "c").forEach(repeated::next);
        assertFalse(repeated.ascending(), "a key twice");

        KeyOrder swapped = new KeyOrder();
        List.of("C001", "C003", "C002").forEach(swapped::next);
        assertFalse(swapped.ascending());

        KeyOrder utf16 = new KeyOrder();
        List.of("a\uFFFD", "a\uD83D\uDE00").forEach(utf16::next);
        assertTrue(utf16.ascending(), "U+FFFD before U+1F600, as in UTF-8");
    }

    private static String randomKey(Random random) {
        StringBuilder key = new StringBuilder();
        int length = 1 + random.nextInt(4);
        for (int i = 0; i < length; i++) {
            key.appendCodePoint(CODE_POINTS[random.nextInt(CODE_POINTS.length)]);
        }
        return key.toString();
    }
}
