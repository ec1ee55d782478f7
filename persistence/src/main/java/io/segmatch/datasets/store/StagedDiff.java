package io.segmatch.datasets.store;

import io.segmatch.shared.store.Jdbc;
import io.segmatch.shared.store.Transactions;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;

/**
 * The set-based half of a staged upload: resolves repeated keys, finds the staged rows that
 * are new or differ from the stored ones, writes only those with their pending changes,
 * and in replace mode deletes the rows the upload does not carry.
 */
final class StagedDiff {

    private final Connection connection;
    private final String datasetId;
    private final String stage;
    private final String change;
    private boolean deletedMissing;
    /** Whether {@link #merge} found few changed rows among many (then they are looked up by key). */
    private boolean fewChanged;
    /** Whether {@link #merge} updated stored rows, inserted new ones. */
    private boolean anyUpdated;
    private boolean anyInserted;

    StagedDiff(Connection connection, String datasetId, String stage, String change) {
        this.connection = connection;
        this.datasetId = datasetId;
        this.stage = stage;
        this.change = change;
    }

    /** A staged upload in key order is merged with the stored rows when it holds at least this share of them. */
    static final double MERGED_SHARE = 0.2;

    /**
     * @param newDataset a dataset created by this upload: no pending changes (see {@code UploadStage})
     * @param inKeyOrder the staged lines' keys rose from line to line (no key twice)
     */
    UploadStage.Merge merge(List<String> uploadColumns, boolean allColumns, boolean newDataset, boolean maybeRepeatedKeys,
                            boolean inKeyOrder, long stagedRows, long existingRows, Timestamp at) throws SQLException {
        long seq = PendingChanges.nextSeq(connection);
        long t0 = System.nanoTime();
        long duplicates = maybeRepeatedKeys ? Sql.single(connection, "SELECT count(*) - count(DISTINCT row_key) FROM " + stage
                + " WHERE data IS NOT NULL") : 0;
        if (duplicates > 0) {
            Sql.update(connection, "DELETE FROM " + stage + " s USING (SELECT row_key, max(line) AS keep FROM " + stage
                    + " WHERE data IS NOT NULL GROUP BY row_key HAVING count(*) > 1) d "
                    + "WHERE s.data IS NOT NULL AND s.row_key = d.row_key AND s.line <> d.keep");
        }
        Array columns = connection.createArrayOf("text", uploadColumns.toArray());
        // The staged rows are text, written as their jsonb prints (JsonText.Layout). An upload
        // of every column compares each with its stored row as text first: equal text is an
        // equal row, and only the rows whose text differs are parsed (to compare them as jsonb,
        // which settles rows written otherwise, and to write the new and changed ones). An upload
        // of some columns merges them into the stored values, which needs every row parsed.
        String merged = allColumns ? "s.data::jsonb" : "(r.data - ?::text[]) || s.data::jsonb";
        String differs = allColumns ? "(r.data::text IS DISTINCT FROM s.data AND r.data IS DISTINCT FROM s.data::jsonb)"
                : "r.data IS DISTINCT FROM " + merged;
        String sql = "CREATE UNLOGGED TABLE " + change + " AS "
                + "SELECT s.row_key, CASE WHEN r.row_key IS NULL THEN s.data::jsonb ELSE " + merged + " END AS data, "
                + "r.row_key IS NULL AS is_new "
                + "FROM " + stage + " s LEFT JOIN dataset_row r ON r.dataset_id = ? AND r.row_key = s.row_key "
                + "WHERE s.data IS NOT NULL AND (r.row_key IS NULL OR " + differs + ") "
                // in key order: the writes that follow go through the key indexes of the rows, the
                // typed rows and the pending changes page after page instead of at random, and
                // the new versions lie in key order for the lookups of the next membership run
                + "ORDER BY s.row_key";
        long t1 = System.nanoTime();
        Transactions.Work<Long> diff = x -> allColumns ? Sql.update(x, sql, datasetId)
                : Sql.update(x, sql, columns, datasetId, columns);
        long changed;
        String how;
        if (inKeyOrder && existingRows > 0 && stagedRows >= MERGED_SHARE * existingRows) {
            // Staged in key order: an index of the staged keys (built from keys already sorted:
            // 3.4 s for 10M) lets the diff walk both tables in key order side by side through
            // their key indexes, each page read once, nothing sorted, nothing written aside. A
            // hash join holds one side in memory; past it (a few million rows) both sides go to
            // temporary files and back: at 10M rows 6.8 GB written and read again
            // (docs/performance.md).
            Sql.update(connection, "CREATE INDEX ON " + stage + " (row_key)");
            how = "merged";
            changed = Jdbc.withPlannerOff(connection, List.of("hashjoin", "nestloop", "sort"), diff);
        } else {
            // the planner cannot tell how few rows differ; a parallel hash join halves the diff on 2 cores
            how = "hashed";
            changed = Jdbc.withParallelWorkersFree(connection, diff);
        }
        long t2 = System.nanoTime();
        // few changed rows among many: look each up by key rather than hash the whole dataset
        fewChanged = changed * 5 < existingRows;
        long updated = Jdbc.withPlannerOff(connection, joinsByKey(), x -> Sql.update(x, "UPDATE dataset_row r "
                + "SET data = c.data, updated_at = ? FROM " + change + " c "
                + "WHERE NOT c.is_new AND r.dataset_id = ? AND r.row_key = c.row_key", at, datasetId));
        long inserted = Sql.update(connection, "INSERT INTO dataset_row (dataset_id, row_key, data, created_at, updated_at) "
                + "SELECT ?, row_key, data, ?, ? FROM " + change + " WHERE is_new", datasetId, at, at);
        anyUpdated = updated > 0;
        anyInserted = inserted > 0;
        if (!newDataset) {
            Sql.update(connection, "INSERT INTO pending_change (dataset_id, row_key, seq, changed_at) "
                    + "SELECT ?, row_key, ?, ? FROM " + change + PendingChanges.ON_CONFLICT, datasetId, seq, at);
        }
        long t3 = System.nanoTime();
        return new UploadStage.Merge(inserted, updated, duplicates, String.format(Locale.ROOT,
                "repeats %.2f s, diff %.2f s (%s), writes and changes %.2f s", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                how, (t3 - t2) / 1e9));
    }

    long deleteMissing(Timestamp at) throws SQLException {
        long seq = PendingChanges.nextSeq(connection);
        deletedMissing = true;
        String sql = "WITH del AS (DELETE FROM dataset_row r WHERE r.dataset_id = ? AND NOT EXISTS "
                + "(SELECT 1 FROM " + stage + " s WHERE s.row_key = r.row_key) RETURNING r.row_key), "
                + "pc AS (INSERT INTO pending_change (dataset_id, row_key, seq, changed_at) SELECT ?, row_key, ?, ? FROM del"
                + PendingChanges.ON_CONFLICT + ") SELECT count(*) FROM del";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, datasetId);
            ps.setString(2, datasetId);
            ps.setLong(3, seq);
            ps.setTimestamp(4, at);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The typed rows of what {@link #merge} and {@link #deleteMissing} wrote: changed rows'
     * typed rows are updated in place from their merged values (typed first into a table of
     * their own), new rows' are copied in, rows deleted as missing go. The whole table is
     * rebuilt instead when it was built for other columns.
     */
    void refreshTyped(List<TypedRows.Column> columns) throws SQLException {
        var table = TypedRows.current(connection, datasetId, columns);
        if (table.isEmpty()) {
            TypedRows.rebuild(connection, datasetId, columns);
            return;
        }
        String name = table.get().name();
        if (deletedMissing) {
            Sql.update(connection, "DELETE FROM " + name + " t WHERE NOT EXISTS (SELECT 1 FROM " + stage
                    + " s WHERE s.row_key = t.row_key)");
        }
        if (anyUpdated && !columns.isEmpty()) {
            // updated rather than deleted and written again at the end: the new versions stay on
            // their pages (the table's fillfactor leaves room), in key order, with no new index
            // entries; rows whose typed values did not change are left as they are
            String typed = change + "_typed";
            Sql.update(connection, "CREATE UNLOGGED TABLE " + typed + " (LIKE " + name + ")");
            TypedCopies.fill(connection, columns, typed, "SELECT row_key, data FROM " + change + " WHERE NOT is_new");
            Jdbc.withPlannerOff(connection, joinsByKey(), x -> Sql.update(x, TypedRows.updateFromSql(name, columns, typed)));
            Sql.update(connection, "DROP TABLE " + typed);
        }
        if (anyInserted) {
            TypedCopies.fill(connection, columns, name, "SELECT row_key, data FROM " + change + " WHERE is_new");
        }
    }

    /**
     * The planner's methods a statement joining the changed rows runs without: with few changed
     * rows among many, hash and merge joins, so that each row is looked up by key rather than the
     * whole tables hashed; otherwise none.
     */
    private List<String> joinsByKey() {
        return fewChanged ? List.of("hashjoin", "mergejoin") : List.of();
    }

    void drop() throws SQLException {
        Sql.update(connection, "DROP TABLE IF EXISTS " + stage + ", " + change + ", " + change + "_typed");
    }
}
