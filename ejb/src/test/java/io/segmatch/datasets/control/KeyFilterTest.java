package io.segmatch.datasets.control;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyFilterTest {

    @Test
    void aMillionDistinctKeysAreNotTakenForRepeats() {
        KeyFilter filter = new KeyFilter();
        for (int i = 0; i < 1_000_000; i++) {
            filter.add("C" + String.format("%08d", i));
        }
        assertFalse(filter.maybeRepeated());
    }

    @Test
    void aRepeatedKeyIsAlwaysNoticed() {
        KeyFilter filter = new KeyFilter();
        for (int i = 0; i < 10_000; i++) {
            filter.add("key-" + i);
        }
        assertFalse(filter.maybeRepeated());
        filter.add("key-1234");
        assertTrue(filter.maybeRepeated());
    }
}
