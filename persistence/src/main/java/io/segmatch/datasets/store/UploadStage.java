package io.segmatch.datasets.store;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The bulk path of an upload. Accepted rows stream through COPY, either straight into
 * {@code dataset_row} (a dataset without rows: the primary key then proves there are no
 * duplicate keys, or the load is retried staged) or into a temporary table that lives
 * until the transaction ends, from which set-based statements apply only the rows that
 * are new or differ, and record their pending changes. Unchanged rows are not written.
 */
public class UploadStage implements AutoCloseable {

    /** COPY found a key twice while loading straight into an empty dataset. */
    public static class DuplicateKeyException extends Exception {
        private static final long serialVersionUID = 1L;

        DuplicateKeyException(Throwable cause) {
            super("the upload repeats a key", cause);
        }
    }

    private final Connection connection;
    private final String datasetId;
    private final boolean direct;
    private final PGCopyOutputStream copy;
    /**
     * The staging tables: unlogged (no WAL) rather than temporary so that parallel workers
     * can read them; created in the upload's transaction, so a rollback removes them, and
     * dropped by {@link #dropTables()} before it commits. Their names are generated here.
     */
    private final String stage;
    private final String change;
    private final BufferedWriter out;
    private final StringBuilder line = new StringBuilder(512);
    /** Direct loads: the keys, kept on disk for the pending-change COPY that follows. */
    private final Path keysFile;
    private final BufferedWriter keys;
    private final long directSeq;
    private final String directSeqText;
    private boolean copying = true;
    private long staged;

    private UploadStage(Connection connection, String datasetId, boolean direct, long directSeq, String suffix,
                        Path keysFile, BufferedWriter keys, PGCopyOutputStream copy) {
        this.stage = "upload_stage_" + suffix;
        this.change = "upload_change_" + suffix;
        this.directSeq = directSeq;
        this.directSeqText = Long.toString(directSeq);
        this.connection = connection;
        this.copy = copy;
        this.datasetId = datasetId;
        this.direct = direct;
        this.out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 16);
        this.keysFile = keysFile;
        this.keys = keys;
    }

    /**
     * Opens the COPY stream on this connection's transaction. Rows loaded directly get the
     * transaction's start time ({@code now()}, see {@link #transactionTime(Connection)}) as
     * their creation and update time.
     *
     * @param direct load straight into the rows of a dataset that has none
     */
    public static UploadStage open(Connection c, String datasetId, boolean direct) throws SQLException {
        long directSeq = direct ? PendingChanges.nextSeq(c) : 0;
        String suffix = java.util.UUID.randomUUID().toString().replace("-", "");
        String stage = "upload_stage_" + suffix;
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL work_mem = '256MB'");
            if (direct) {
                st.execute("SAVEPOINT upload_direct");
            } else {
                // data is null for a rejected row whose key is kept (replace mode)
                st.execute("CREATE UNLOGGED TABLE " + stage + " (line bigint NOT NULL, row_key text NOT NULL, "
                        + "data jsonb)");
            }
        }
        Path keysFile = null;
        BufferedWriter keys = null;
        try {
            if (direct) {
                keysFile = Files.createTempFile("segmatch-keys-", ".txt");
                keys = Files.newBufferedWriter(keysFile, StandardCharsets.UTF_8);
            }
            String sql = direct
                    ? "COPY dataset_row (dataset_id, row_key, data) FROM STDIN"
                    : "COPY " + stage + " (line, row_key, data) FROM STDIN";
            var copy = new PGCopyOutputStream(c.unwrap(PGConnection.class), sql, 1 << 16);
            return new UploadStage(c, datasetId, direct, directSeq, suffix, keysFile, keys, copy);
        } catch (IOException e) {
            discard(keysFile, keys);
            throw new SQLException("cannot stage the upload: " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            discard(keysFile, keys);
            throw e;
        }
    }

    private static void discard(Path file, BufferedWriter writer) {
        try {
            if (writer != null) {
                writer.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // reporting the original failure matters more
        }
    }

    /** The time at which the current transaction started: the time of every row it writes. */
    public static Instant transactionTime(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT now()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /** Stages one accepted row; {@code json} is the row's values as a JSON object. */
    public void add(long lineNumber, String key, String json) throws IOException {
        line.setLength(0);
        if (direct) {
            line.append(datasetId).append('\t');
        } else {
            line.append(lineNumber).append('\t');
        }
        escape(line, key);
        line.append('\t');
        int keyEnd = line.length();
        escape(line, json);
        line.append('\n');
        out.append(line);
        if (keys != null) {
            keys.append(line, 0, keyEnd).append(directSeqText).append('\n');
        }
        staged++;
    }

    /**
     * Replace mode: records the key of a rejected row, so that its stored row is kept as it
     * is rather than deleted as missing from the upload.
     */
    public void keep(long lineNumber, String key) throws IOException {
        if (direct) {
            return; // a dataset without rows has nothing to keep
        }
        line.setLength(0);
        line.append(lineNumber).append('\t');
        escape(line, key);
        line.append("\t\\N\n");
        out.append(line);
    }

    public long staged() {
        return staged;
    }

    /** Ends the COPY. A direct load that met a key twice is rolled back and reported. */
    public void finishCopy() throws SQLException, DuplicateKeyException {
        if (!copying) {
            return;
        }
        copying = false;
        try {
            out.close();
        } catch (IOException e) {
            throw copyFailure(e);
        }
        if (!direct) {
            try (Statement st = connection.createStatement()) {
                st.execute("ANALYZE " + stage);
            }
        }
    }

    /** Turns a failed COPY into its SQL error, or a duplicate-key signal for a direct load. */
    public DuplicateKeyException duplicateKeys(Exception failure) throws SQLException {
        Throwable t = failure;
        while (t != null) {
            if (direct && t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                copying = false;
                if (copy.isActive()) {
                    try {
                        copy.cancelCopy();
                    } catch (SQLException ignored) {
                        // the server already ended the COPY
                    }
                }
                try (Statement st = connection.createStatement()) {
                    st.execute("ROLLBACK TO SAVEPOINT upload_direct");
                }
                return new DuplicateKeyException(failure);
            }
            t = t.getCause();
        }
        return null;
    }

    private SQLException copyFailure(IOException e) throws DuplicateKeyException, SQLException {
        DuplicateKeyException duplicate = duplicateKeys(e);
        if (duplicate != null) {
            throw duplicate;
        }
        return e.getCause() instanceof SQLException sql ? sql : new SQLException("COPY failed: " + e.getMessage(), e);
    }

    /** The result of applying the rows: inserted, updated, and keys that were repeated. */
    public record Merge(long inserted, long updated, long duplicates, String timings) {
    }

    /**
     * Applies the staged rows to the dataset: the last occurrence of a key wins; for an
     * existing row the upload's columns replace the stored values of those columns (an
     * empty cell clears one) and the other columns keep theirs.
     *
     * @param allColumns whether the upload carries every column of the dataset
     * @param newDataset whether the dataset is being created by this upload
     * @param maybeRepeatedKeys false when the caller knows that no key was staged twice
     * @param existingRows how many rows the dataset had before the upload
     */
    public Merge apply(List<String> uploadColumns, boolean allColumns, boolean newDataset, boolean maybeRepeatedKeys,
                       long existingRows, Instant now)
            throws SQLException, DuplicateKeyException {
        finishCopy();
        Timestamp at = Timestamp.from(now);
        if (direct) {
            long t0 = System.nanoTime();
            recordDirectChanges(newDataset, at);
            return new Merge(staged, 0, 0, String.format(java.util.Locale.ROOT, "changes %.2f s",
                    (System.nanoTime() - t0) / 1e9));
        }
        long seq = PendingChanges.nextSeq(connection);
        long t0 = System.nanoTime();
        long duplicates = maybeRepeatedKeys ? single("SELECT count(*) - count(DISTINCT row_key) FROM " + stage
                + " WHERE data IS NOT NULL") : 0;
        if (duplicates > 0) {
            update("DELETE FROM " + stage + " s USING (SELECT row_key, max(line) AS keep FROM " + stage
                    + " WHERE data IS NOT NULL GROUP BY row_key HAVING count(*) > 1) d "
                    + "WHERE s.data IS NOT NULL AND s.row_key = d.row_key AND s.line <> d.keep");
        }
        Array columns = connection.createArrayOf("text", uploadColumns.toArray());
        String merged = allColumns ? "s.data" : "(r.data - ?::text[]) || s.data";
        String sql = "CREATE UNLOGGED TABLE " + change + " AS "
                + "SELECT s.row_key, CASE WHEN r.row_key IS NULL THEN s.data ELSE " + merged + " END AS data, "
                + "r.row_key IS NULL AS is_new "
                + "FROM " + stage + " s LEFT JOIN dataset_row r ON r.dataset_id = ? AND r.row_key = s.row_key "
                + "WHERE s.data IS NOT NULL AND (r.row_key IS NULL OR r.data IS DISTINCT FROM " + merged + ")";
        long t1 = System.nanoTime();
        // the planner cannot tell how few rows differ; a parallel hash join halves the diff on 2 cores
        update("SET LOCAL parallel_setup_cost = 0");
        update("SET LOCAL parallel_tuple_cost = 0");
        long changed = allColumns ? update(sql, datasetId) : update(sql, columns, datasetId, columns);
        update("RESET parallel_setup_cost");
        update("RESET parallel_tuple_cost");
        long t2 = System.nanoTime();
        // few changed rows among many: look each up by key rather than hash the whole dataset
        boolean lookUp = changed * 5 < existingRows;
        if (lookUp) {
            update("SET LOCAL enable_hashjoin = off");
            update("SET LOCAL enable_mergejoin = off");
        }
        long updated = update("UPDATE dataset_row r SET data = c.data, updated_at = ? FROM " + change + " c "
                + "WHERE NOT c.is_new AND r.dataset_id = ? AND r.row_key = c.row_key", at, datasetId);
        if (lookUp) {
            update("RESET enable_hashjoin");
            update("RESET enable_mergejoin");
        }
        long inserted = update("INSERT INTO dataset_row (dataset_id, row_key, data, created_at, updated_at) "
                + "SELECT ?, row_key, data, ?, ? FROM " + change + " WHERE is_new", datasetId, at, at);
        update("INSERT INTO pending_change (dataset_id, row_key, seq, changed_at) "
                + "SELECT ?, row_key, ?, ? FROM " + change + PendingChanges.ON_CONFLICT, datasetId, seq, at);
        long t3 = System.nanoTime();
        return new Merge(inserted, updated, duplicates, String.format(java.util.Locale.ROOT,
                "repeats %.2f s, diff %.2f s, writes and changes %.2f s", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                (t3 - t2) / 1e9));
    }

    /**
     * Records the pending changes of a direct load: a new dataset has none yet, so its keys
     * are copied straight in; an emptied dataset may still have some, so they are merged.
     */
    private void recordDirectChanges(boolean newDataset, Timestamp at) throws SQLException {
        try {
            keys.close();
            if (newDataset) {
                String sql = "COPY pending_change (dataset_id, row_key, seq) FROM STDIN";
                try (var in = Files.newBufferedReader(keysFile, StandardCharsets.UTF_8)) {
                    connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, in, 1 << 16);
                }
            } else {
                update("INSERT INTO pending_change (dataset_id, row_key, seq, changed_at) "
                        + "SELECT dataset_id, row_key, ?, ? FROM dataset_row WHERE dataset_id = ?"
                        + PendingChanges.ON_CONFLICT, directSeq, at, datasetId);
            }
        } catch (IOException e) {
            throw new SQLException("recording the pending changes failed: " + e.getMessage(), e);
        }
    }

    /**
     * Replace mode: deletes the dataset's rows whose key the upload does not carry (neither
     * on an accepted row nor on a rejected one); returns how many.
     */
    public long deleteMissing(Instant now) throws SQLException, DuplicateKeyException {
        finishCopy();
        if (direct) {
            return 0;
        }
        long seq = PendingChanges.nextSeq(connection);
        String sql = "WITH del AS (DELETE FROM dataset_row r WHERE r.dataset_id = ? AND NOT EXISTS "
                + "(SELECT 1 FROM " + stage + " s WHERE s.row_key = r.row_key) RETURNING r.row_key), "
                + "pc AS (INSERT INTO pending_change (dataset_id, row_key, seq, changed_at) SELECT ?, row_key, ?, ? FROM del"
                + PendingChanges.ON_CONFLICT + ") SELECT count(*) FROM del";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, datasetId);
            ps.setString(2, datasetId);
            ps.setLong(3, seq);
            ps.setTimestamp(4, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Drops the staging tables; called when the upload has been applied, before its commit. */
    public void dropTables() throws SQLException {
        if (!direct) {
            update("DROP TABLE IF EXISTS " + stage + ", " + change);
        }
    }

    private long update(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    private long single(String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Abandons the COPY if it is still open (the transaction is rolled back by its owner). */
    @Override
    public void close() {
        if (keys != null) {
            try {
                keys.close();
                Files.deleteIfExists(keysFile);
            } catch (IOException ignored) {
                // a temporary file left behind is removed with the temp directory
            }
        }
        if (copying) {
            copying = false;
            try {
                out.close();
            } catch (IOException | RuntimeException ignored) {
                // the COPY failed or was cancelled; the transaction will roll back
            }
        }
    }

    /** COPY text format: backslash, tab, newline and carriage return are escaped. */
    static void escape(StringBuilder out, String value) {
        if (value.indexOf('\\') < 0 && value.indexOf('\t') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            out.append(value);
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
