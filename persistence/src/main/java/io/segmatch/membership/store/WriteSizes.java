package io.segmatch.membership.store;

/**
 * How a membership write is cut into statements: rows of {@code row_membership} per
 * statement, and keys per entry of the enter/exit log and the activation queue (the tables
 * take at most 10,000). The defaults are what runs use; the membership property test cuts
 * them small so that every batch boundary is crossed.
 */
public record WriteSizes(int rows, int logKeys) {

    public static final WriteSizes DEFAULT = new WriteSizes(5000, 10_000);

    public WriteSizes {
        if (rows < 1 || logKeys < 1 || logKeys > 10_000) {
            throw new IllegalArgumentException("rows ≥ 1 and 1 ≤ logKeys ≤ 10,000: " + rows + ", " + logKeys);
        }
    }
}
