package io.segmatch.datasets.store;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * The bulk path of an upload: accepted rows stream through COPY into a temporary table
 * that lives until the transaction ends, then set-based statements merge them into the
 * dataset and record their pending changes. Rows whose merged values equal the stored
 * ones are not written at all.
 */
public class UploadStage implements AutoCloseable {

    private final Connection connection;
    private final BufferedWriter out;
    private final StringBuilder line = new StringBuilder(512);
    private boolean copying = true;
    private long staged;

    private UploadStage(Connection connection, BufferedWriter out) {
        this.connection = connection;
        this.out = out;
    }

    /** Creates the temporary table and opens the COPY stream on this connection's transaction. */
    public static UploadStage open(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE upload_stage (line bigint NOT NULL, row_key text NOT NULL, "
                    + "data jsonb NOT NULL) ON COMMIT DROP");
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        var copy = new PGCopyOutputStream(pg, "COPY upload_stage (line, row_key, data) FROM STDIN", 1 << 16);
        return new UploadStage(c, new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 16));
    }

    /** Stages one accepted row; {@code json} is the row's values as a JSON object. */
    public void add(long lineNumber, String key, String json) {
        line.setLength(0);
        line.append(lineNumber).append('\t');
        escape(line, key);
        line.append('\t');
        escape(line, json);
        line.append('\n');
        try {
            out.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        staged++;
    }

    public long staged() {
        return staged;
    }

    /** Ends the COPY, so the staged rows can be merged. */
    public void finishCopy() throws SQLException {
        if (!copying) {
            return;
        }
        copying = false;
        try {
            out.close();
        } catch (IOException e) {
            throw new SQLException("COPY into the upload stage failed: " + e.getMessage(), e);
        }
        try (Statement st = connection.createStatement()) {
            st.execute("ANALYZE upload_stage");
        }
    }

    /** The result of a merge: rows inserted, updated, and distinct keys staged. */
    public record Merge(long inserted, long updated, long distinctKeys) {
    }

    /**
     * Merges the staged rows into the dataset (the last occurrence of a key wins). For an
     * existing row, the upload's columns replace the stored values of those columns (an
     * empty cell clears one); other columns keep theirs.
     */
    public Merge merge(String datasetId, List<String> uploadColumns, Instant now) throws SQLException {
        finishCopy();
        String sql = """
                WITH src AS MATERIALIZED (
                    SELECT DISTINCT ON (row_key) row_key, data FROM upload_stage ORDER BY row_key, line DESC
                ), up AS (
                    INSERT INTO dataset_row AS r (dataset_id, row_key, data, created_at, updated_at)
                    SELECT ?, row_key, data, ?, ? FROM src
                    ON CONFLICT (dataset_id, row_key) DO UPDATE
                        SET data = (r.data - ?::text[]) || excluded.data, updated_at = excluded.updated_at
                        WHERE r.data IS DISTINCT FROM ((r.data - ?::text[]) || excluded.data)
                    RETURNING r.row_key, (r.xmax = 0) AS inserted
                ), pc AS (
                    INSERT INTO pending_change (dataset_id, row_key, changed_at)
                    SELECT ?, row_key, ? FROM up
                """ + PendingChanges.ON_CONFLICT + """
                )
                SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),
                       (SELECT count(*) FROM src)
                FROM up
                """;
        Timestamp at = Timestamp.from(now);
        Array columns = connection.createArrayOf("text", uploadColumns.toArray());
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, datasetId);
            ps.setTimestamp(2, at);
            ps.setTimestamp(3, at);
            ps.setArray(4, columns);
            ps.setArray(5, columns);
            ps.setString(6, datasetId);
            ps.setTimestamp(7, at);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Merge(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    /** Replace mode: deletes the dataset's rows that the upload does not carry; returns how many. */
    public long deleteMissing(String datasetId, Instant now) throws SQLException {
        finishCopy();
        String sql = """
                WITH del AS (
                    DELETE FROM dataset_row r
                    WHERE r.dataset_id = ? AND NOT EXISTS (SELECT 1 FROM upload_stage s WHERE s.row_key = r.row_key)
                    RETURNING r.row_key
                ), pc AS (
                    INSERT INTO pending_change (dataset_id, row_key, changed_at)
                    SELECT ?, row_key, ? FROM del
                """ + PendingChanges.ON_CONFLICT + """
                )
                SELECT count(*) FROM del
                """;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, datasetId);
            ps.setString(2, datasetId);
            ps.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Abandons the COPY if it is still open (the transaction is rolled back by its owner). */
    @Override
    public void close() {
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
