package io.segmatch.datasets.control;

import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.datasets.store.PendingChanges;
import io.segmatch.datasets.store.RowStore;
import io.segmatch.datasets.store.StoredRow;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Plays the dataset boundary's part for integration tests: keeps one dataset's schema and
 * applies uploads with {@link UploadProcessor}, each in its own committed transaction.
 */
class UploadFixture {

    final DataSource db;
    final String datasetId = UUID.randomUUID().toString();
    UploadProcessor.Schema schema;

    UploadFixture(DataSource db) {
        this.db = db;
    }

    UploadProcessor.Outcome upload(String csv) throws Exception {
        return upload(csv, UploadProcessor.Mode.UPSERT, null);
    }

    UploadProcessor.Outcome upload(String csv, UploadProcessor.Mode mode, String key) throws Exception {
        return upload(csv.getBytes(StandardCharsets.UTF_8), mode, key);
    }

    UploadProcessor.Outcome upload(byte[] csv, UploadProcessor.Mode mode, String key) throws Exception {
        try (Connection c = db.getConnection(); SpooledUpload file = SpooledUpload.of(csv)) {
            c.setAutoCommit(false);
            try {
                var outcome = UploadProcessor.apply(c, datasetId, schema, file,
                        new UploadProcessor.Options(key, mode, null, null, 0.5));
                c.commit();
                accept(outcome);
                return outcome;
            } catch (Exception | Error e) {
                c.rollback();
                throw e;
            }
        }
    }

    void accept(UploadProcessor.Outcome outcome) {
        List<DatasetColumn> columns = new ArrayList<>(schema == null ? List.of() : schema.columns());
        columns.addAll(outcome.newColumns());
        long rows = (schema == null ? 0 : schema.rowCount()) + outcome.counts().inserted() - outcome.counts().deleted();
        schema = new UploadProcessor.Schema(outcome.keyColumn(), columns, rows);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** The dataset's rows by key. */
    Map<String, StoredRow> rows() throws SQLException {
        Map<String, StoredRow> rows = new TreeMap<>();
        try (Connection c = db.getConnection()) {
            String after = null;
            List<StoredRow> page;
            do {
                page = new RowStore().page(c, datasetId, after, 1000);
                page.forEach(r -> rows.put(r.key(), r));
                after = page.isEmpty() ? null : page.get(page.size() - 1).key();
            } while (page.size() == 1000);
        }
        return rows;
    }

    Map<String, String> values(String key) throws SQLException {
        return rows().get(key).values();
    }

    /** Keys of this dataset with a pending change. */
    List<String> pending() throws SQLException {
        try (Connection c = db.getConnection()) {
            return PendingChanges.inKeyOrder(c, Integer.MAX_VALUE).stream()
                    .filter(e -> e.datasetId().equals(datasetId)).map(PendingChanges.Entry::rowKey).toList();
        }
    }

    void clearPending() throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM pending_change");
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
