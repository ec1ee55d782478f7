package io.segmatch.datasets.store;

import io.segmatch.shared.store.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The change-capture queue. An entry says "this row changed and has not been evaluated";
 * a row changed again before evaluation keeps one entry and gets a new {@code seq}, so a
 * consumer that deletes only the {@code seq} it read never drops a newer change.
 */
public final class PendingChanges {

    /** The upsert shared by single-row writes and, as a set-based form, by bulk uploads. */
    static final String ON_CONFLICT = " ON CONFLICT (dataset_id, row_key) DO UPDATE "
            + "SET seq = excluded.seq, changed_at = excluded.changed_at";

    private PendingChanges() {
    }

    public static void record(Connection c, String datasetId, String key, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO pending_change (dataset_id, row_key, changed_at) VALUES (?, ?, ?)" + ON_CONFLICT)) {
            ps.setString(1, datasetId);
            ps.setString(2, key);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** A new sequence value: one per bulk write, shared by all the entries it records. */
    static long nextSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('pending_change_seq')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One pending change: the row, and the sequence value of its latest change. */
    public record Entry(String datasetId, String rowKey, long seq) {
    }

    /** Up to {@code limit} pending changes in key order (dataset, then row key). */
    public static List<Entry> inKeyOrder(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT dataset_id, row_key, seq FROM pending_change "
                + "ORDER BY dataset_id, row_key LIMIT ?")) {
            ps.setInt(1, limit);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
            return entries;
        }
    }

    /**
     * Removes the given entries, each only if the row has not changed again since it was
     * read (same seq); returns how many were removed. A newer change stays pending.
     */
    public static int consume(Connection c, List<Entry> entries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM pending_change WHERE dataset_id = ? AND row_key = ? AND seq = ?")) {
            for (Entry e : entries) {
                ps.setString(1, e.datasetId());
                ps.setString(2, e.rowKey());
                ps.setLong(3, e.seq());
                ps.addBatch();
            }
            int removed = 0;
            for (int n : ps.executeBatch()) {
                removed += n;
            }
            return removed;
        }
    }

    /**
     * The datasets that have pending changes, in id order: a walk down the key index, one
     * descent per dataset ({@code min(dataset_id)} above the last one found), so that it costs
     * the number of datasets, not of changes (a grouping over a million changes took 0.13 s).
     */
    public static final String DATASETS_SQL = "WITH RECURSIVE d AS (SELECT (SELECT min(dataset_id) FROM pending_change) AS id "
            + "UNION ALL SELECT (SELECT min(p.dataset_id) FROM pending_change p WHERE p.dataset_id > d.id) FROM d "
            + "WHERE d.id IS NOT NULL) SELECT id FROM d WHERE id IS NOT NULL";

    /** The datasets that have pending changes ({@link #DATASETS_SQL}). */
    public static List<String> datasets(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(DATASETS_SQL);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** A dataset's pending changes counted up to a bound (parameters: the dataset, the bound). */
    public static final String AT_LEAST_SQL = "SELECT count(*) FROM (SELECT 1 FROM pending_change WHERE dataset_id = ? LIMIT ?) x";

    /**
     * Whether the dataset has at least {@code minimum} pending changes: counted through the key
     * index up to {@code minimum} and no further (sequential scans off while it is planned, so
     * that a dataset with a few changes among another's million costs a few index entries).
     */
    public static boolean atLeast(Connection c, String datasetId, long minimum) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(AT_LEAST_SQL)) {
            ps.setString(1, datasetId);
            ps.setLong(2, minimum);
            return Jdbc.withPlannerOff(c, List.of("seqscan", "bitmapscan"), x -> {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) >= minimum;
                }
            });
        }
    }

    /**
     * Row changes not yet evaluated, over all datasets: the sum that the statements writing
     * them keep in {@code pending_change_count} (migration V19), exact in the reader's snapshot
     * as {@code count(*)} over the changes is, without reading them.
     */
    public static final String COUNT_SQL = "SELECT coalesce(sum(n), 0) FROM pending_change_count";

    /** Row changes not yet evaluated, over all datasets ({@link #COUNT_SQL}). */
    public static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT_SQL);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Folds the rows of {@code pending_change_count} into one (their sum), so that it stays a
     * few rows long: each statement that writes changes adds one. Rows another transaction adds
     * meanwhile stay as they are; two folds at once each fold the rows the other left.
     */
    public static final String FOLD_COUNT_SQL = "WITH folded AS (DELETE FROM pending_change_count RETURNING n) "
            + "INSERT INTO pending_change_count SELECT sum(n) FROM folded HAVING sum(n) <> 0";

    /** Folds the count's rows into one ({@link #FOLD_COUNT_SQL}). */
    public static void foldCount(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FOLD_COUNT_SQL)) {
            ps.executeUpdate();
        }
    }
}
