package io.segmatch.datasets.control;

/**
 * A fixed-size Bloom filter over the keys of one upload. When no key may have been seen
 * before, the upload certainly has no repeated keys and the database can skip looking for
 * them; a "maybe" only costs that look-up. Its memory (16 MiB) does not grow with the file;
 * past a few million keys it answers "maybe" more often, which is still correct.
 */
final class KeyFilter {

    private static final int BITS_LOG2 = 27;               // 2^27 bits = 16 MiB
    private static final long MASK = (1L << BITS_LOG2) - 1;
    private static final int HASHES = 5;

    private final long[] bits = new long[1 << (BITS_LOG2 - 6)];
    private boolean maybeRepeated;

    /** Adds a key; remembers whether it may have been added before. */
    void add(String key) {
        long h1 = hash(key);
        long h2 = mix(h1 ^ 0x9E3779B97F4A7C15L) | 1;
        boolean all = true;
        for (int i = 0; i < HASHES; i++) {
            long bit = (h1 + i * h2) & MASK;
            int word = (int) (bit >>> 6);
            long m = 1L << (bit & 63);
            if ((bits[word] & m) == 0) {
                all = false;
                bits[word] |= m;
            }
        }
        if (all) {
            maybeRepeated = true;
        }
    }

    /** False only when no key was added twice. */
    boolean maybeRepeated() {
        return maybeRepeated;
    }

    private static long hash(String s) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001B3L;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
