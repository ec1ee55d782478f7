package io.segmatch.datasets.store;

/**
 * Whether keys arrive in the order the database keeps them: row keys compare byte by byte
 * (collation "C") over UTF-8, which is the order of their Unicode code points. Java's
 * {@link String#compareTo} compares UTF-16 units instead, which puts a character above
 * U+FFFF (two surrogate units) before U+E000–U+FFFF; this order does not.
 */
public final class KeyOrder {

    private String last;
    private boolean ascending = true;

    /** Notes the next key; the keys stay in order only while each is greater than the one before. */
    public void next(String key) {
        if (ascending && last != null && compare(last, key) >= 0) {
            ascending = false;
        }
        last = key;
    }

    /**
     * Whether every key so far was greater than the one before: in the database's order, and
     * no key twice.
     */
    public boolean ascending() {
        return ascending;
    }

    /** Compares by Unicode code point, as the database compares the keys' UTF-8 bytes. */
    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean xs = Character.isSurrogate(x);
                boolean ys = Character.isSurrogate(y);
                // a surrogate unit belongs to a code point above U+FFFF, above every other unit;
                // two different surrogates at the same place order as their code points do
                return xs == ys ? Character.compare(x, y) : xs ? 1 : -1;
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
