package io.segmatch.datasets.store;

import io.segmatch.shared.store.Jdbc;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

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
    private final StagedDiff diff;
    private final BufferedWriter out;
    private final StringBuilder line = new StringBuilder(512);
    /**
     * Direct loads: each row's key and values (in the upload's column order), kept on disk
     * for the typed rows, written once the columns' types are known ({@link #refreshTyped}).
     */
    private final Path valuesFile;
    private final DataOutputStream values;
    private final long directSeq;
    private boolean copying = true;
    private long staged;
    /** The order of the staged lines' keys: in key order, the diff can merge them with the stored rows. */
    private final KeyOrder order = new KeyOrder();

    private UploadStage(Connection connection, String datasetId, boolean direct, long directSeq, String suffix,
                        Path valuesFile, DataOutputStream values, PGCopyOutputStream copy) {
        this.stage = "upload_stage_" + suffix;
        this.diff = new StagedDiff(connection, datasetId, stage, "upload_change_" + suffix);
        this.directSeq = directSeq;
        this.connection = connection;
        this.copy = copy;
        this.datasetId = datasetId;
        this.direct = direct;
        this.out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 16);
        this.valuesFile = valuesFile;
        this.values = values;
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
        String suffix = UUID.randomUUID().toString().replace("-", "");
        String stage = "upload_stage_" + suffix;
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL work_mem = '256MB'");
            if (direct) {
                st.execute("SAVEPOINT upload_direct");
            } else {
                // data is null for a rejected row whose key is kept (replace mode); text, not jsonb:
                // the diff compares it with the stored rows as text and parses only the rows
                // that differ (StagedDiff)
                st.execute("CREATE UNLOGGED TABLE " + stage + " (line bigint NOT NULL, row_key " + Jdbc.ROW_KEY_TYPE + " NOT NULL, "
                        + "data text)");
            }
        }
        Path valuesFile = null;
        DataOutputStream values = null;
        try {
            if (direct) {
                valuesFile = Files.createTempFile("segmatch-values-", ".bin");
                values = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(valuesFile), 1 << 16));
            }
            String sql = direct
                    ? "COPY dataset_row (dataset_id, row_key, data) FROM STDIN"
                    : "COPY " + stage + " (line, row_key, data) FROM STDIN";
            var copy = new PGCopyOutputStream(c.unwrap(PGConnection.class), sql, 1 << 16);
            return new UploadStage(c, datasetId, direct, directSeq, suffix, valuesFile, values, copy);
        } catch (IOException e) {
            discard(valuesFile, values);
            throw new SQLException("cannot stage the upload: " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            discard(valuesFile, values);
            throw e;
        }
    }

    private static void discard(Path file, Closeable writer) {
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

    /**
     * Stages one accepted row; {@code json} is the row's values as a JSON object, {@code raw}
     * the same values in the upload's column order (null: missing).
     */
    public void add(long lineNumber, String key, String json, String[] raw) throws IOException {
        line.setLength(0);
        if (direct) {
            line.append(datasetId).append('\t');
        } else {
            line.append(lineNumber).append('\t');
            order.next(key);
        }
        escape(line, key);
        line.append('\t');
        escape(line, json);
        line.append('\n');
        out.append(line);
        if (values != null) {
            TypedValues.writeRaw(values, key, raw);
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
        order.next(key);
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
            return new Merge(staged, 0, 0, String.format(Locale.ROOT, "changes %.2f s",
                    (System.nanoTime() - t0) / 1e9));
        }
        // staged in key order, no key was staged twice
        boolean ordered = order.ascending();
        return diff.merge(uploadColumns, allColumns, newDataset, maybeRepeatedKeys && !ordered, ordered, staged,
                existingRows, at);
    }

    /**
     * Records the pending changes of a direct load. A dataset created by this upload records
     * none: no segment can refer to it yet, and a segment made later is first built over all
     * its rows. An emptied dataset may have segments: its rows are queued for them.
     */
    private void recordDirectChanges(boolean newDataset, Timestamp at) throws SQLException {
        if (!newDataset) {
            update("INSERT INTO pending_change (dataset_id, row_key, seq, changed_at) "
                    + "SELECT dataset_id, row_key, ?, ? FROM dataset_row WHERE dataset_id = ?"
                    + PendingChanges.ON_CONFLICT, directSeq, at, datasetId);
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
        return diff.deleteMissing(Timestamp.from(now));
    }

    /**
     * Writes the dataset's typed rows for what this upload wrote: a direct load's rows from
     * the values kept on disk, a staged upload's changed and deleted rows from its staging
     * tables; the whole table is rebuilt instead when {@code columns}, the dataset's columns
     * after the upload, differ from those it was built for. {@code uploadColumns}: the
     * upload's columns in file order.
     */
    public void refreshTyped(List<TypedRows.Column> columns, List<String> uploadColumns)
            throws SQLException, DuplicateKeyException {
        finishCopy();
        if (direct) {
            try {
                values.close();
            } catch (IOException e) {
                throw new SQLException("writing the typed rows failed: " + e.getMessage(), e);
            }
            TypedRows.load(connection, datasetId, columns, uploadColumns, valuesFile);
        } else {
            diff.refreshTyped(columns);
        }
    }

    /** Drops the staging tables; called when the upload has been applied, before its commit. */
    public void dropTables() throws SQLException {
        if (!direct) {
            diff.drop();
        }
    }

    private long update(String sql, Object... params) throws SQLException {
        return Sql.update(connection, sql, params);
    }

    /** Abandons the COPY if it is still open (the transaction is rolled back by its owner). */
    @Override
    public void close() {
        if (values != null) {
            try {
                values.close();
                Files.deleteIfExists(valuesFile);
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
    public static void escape(StringBuilder out, String value) {
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
