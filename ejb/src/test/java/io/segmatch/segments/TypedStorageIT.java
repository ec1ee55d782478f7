package io.segmatch.segments;

import io.segmatch.datasets.control.SpooledUpload;
import io.segmatch.datasets.control.UploadProcessor;
import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.datasets.store.RowStore;
import io.segmatch.datasets.store.TypedRows;
import io.segmatch.segments.entity.Condition;
import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Operator;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.store.Preview;
import io.segmatch.testing.TestDatabase;
import io.segmatch.testing.TypedTables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The typed table of a dataset through the life of its rows and columns: uploads, row
 * writes, a type change (the table is not read until rebuilt), a new column, deletion; and
 * the whole-dataset preview reads it while a windowed one reads the rows.
 */
class TypedStorageIT {

    static DataSource db;
    String datasetId;
    List<DatasetColumn> columns;

    static final String CSV = """
            id,country,ltv,since
            1,DE,100.50,2024-01-01
            2,fr,7,2024-02-01
            3,De,12,
            4,AT,x1,2024-03-01
            """;

    @BeforeAll
    static void database() {
        db = TestDatabase.newDatabase("typed_storage");
    }

    @BeforeEach
    void dataset() throws Exception {
        datasetId = UUID.randomUUID().toString();
        columns = new ArrayList<>(List.of(new DatasetColumn("id", ColumnType.STRING),
                new DatasetColumn("country", ColumnType.STRING), new DatasetColumn("ltv", ColumnType.STRING),
                new DatasetColumn("since", ColumnType.DATE)));
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset (id, name, key_column, created_at, "
                    + "updated_at) VALUES (?, 'typed', 'id', now(), now())")) {
                ps.setString(1, datasetId);
                ps.executeUpdate();
            }
            storeColumns(c);
            return null;
        });
        upload(CSV, UploadProcessor.Mode.UPSERT, 0);
    }

    @Test
    void uploadsAndRowWritesKeepTheTableEqualToTheRows() throws Exception {
        assertConsistent();
        upload("id,ltv\n2,8\n5,9\n", UploadProcessor.Mode.UPSERT, 4);
        assertConsistent();
        upload("id,country,ltv,since\n1,DE,1,2024-01-01\n5,PL,3,\n", UploadProcessor.Mode.REPLACE, 5);
        assertConsistent();
        assertEquals(2, count("SELECT count(*) FROM " + table()));
        inTransaction(c -> {
            RowStore rows = new RowStore();
            rows.insert(c, datasetId, "9", Map.of("id", "9", "country", "Ö", "since", "2025-05-05"), Instant.now());
            rows.update(c, datasetId, "1", Map.of("id", "1", "country", "NL"), Instant.now());
            rows.delete(c, datasetId, "5", Instant.now());
            return null;
        });
        assertConsistent();
        assertEquals(2, count("SELECT count(*) FROM " + table()));
    }

    @Test
    void aTypeChangeIsNotReadUntilTheTableIsRebuiltForIt() throws Exception {
        Rule rule = new Rule(Logic.AND, List.of(new Condition("ltv", ColumnType.NUMBER, Operator.GT,
                List.of(new BigDecimal("10")), 0)));
        // ltv is a string column: the rule reads it as a number, which the typed table lacks
        assertEquals(2, preview(rule, 0).count(), "100.50 and 12, read from the rows");
        columns.set(2, new DatasetColumn("ltv", ColumnType.NUMBER));
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM dataset_column WHERE dataset_id = ?")) {
                ps.setString(1, datasetId);
                ps.executeUpdate();
            }
            storeColumns(c);
            return null;
        });
        inTransaction(c -> {
            assertTrue(TypedRows.current(c, datasetId).isEmpty(), "built for the old types: not current");
            assertTrue(TypedRows.stale(c).contains(datasetId));
            return null;
        });
        assertEquals(2, preview(rule, 0).count(), "still right while the table is stale");
        assertTrue((boolean) inTransaction(c -> TypedRows.ensureLocked(c, datasetId)));
        inTransaction(c -> {
            assertFalse(TypedRows.stale(c).contains(datasetId));
            assertFalse(TypedRows.ensureLocked(c, datasetId), "nothing to do once current");
            return null;
        });
        assertConsistent();
        assertEquals(2, preview(rule, 0).count(), "read from the typed table");
    }

    @Test
    void aNewColumnRebuildsTheTableForTheNewLayout() throws Exception {
        upload("id,score\n1,5\n2,6\n", UploadProcessor.Mode.UPSERT, 4);
        assertEquals(5, columns.size());
        assertEquals(ColumnType.NUMBER, columns.get(4).getType());
        assertConsistent();
    }

    @Test
    void theWholeDatasetPreviewReadsTheTypedTableAndAWindowReadsTheRows() throws Exception {
        Rule rule = new Rule(Logic.AND, List.of(new Condition("country", ColumnType.STRING, Operator.EQ,
                List.of("de"), 0)));
        Preview.Result all = preview(rule, 0);
        assertEquals(2, all.count());
        assertEquals(List.of("1", "3"), all.sample().stream().map(r -> r.key()).toList());
        assertEquals("DE", all.sample().get(0).values().get("country"), "the sample shows the stored values");
        // a typed value that differs from the row's shows which one a preview read
        update("UPDATE " + table() + " SET c1 = 'de' WHERE row_key = '2'");
        assertEquals(3, preview(rule, 0).count());
        assertEquals(2, preview(rule, 10).count());
        update("UPDATE " + table() + " SET c1 = 'fr' WHERE row_key = '2'");
    }

    @Test
    void deletingTheDatasetDropsItsTable() throws Exception {
        String table = table();
        inTransaction(c -> {
            new RowStore().deleteDataset(c, datasetId);
            return null;
        });
        assertEquals(0, count("SELECT count(*) FROM pg_class WHERE relname = '" + table + "'"));
        assertEquals(0, count("SELECT count(*) FROM dataset_typed WHERE dataset_id = '" + datasetId + "'"));
    }

    /**
     * Row keys compare byte by byte in every table that holds them, the typed table the upload
     * built included (a key compared under the database's locale costs a call into the C
     * library per comparison, in every lookup, sort and index build), and their order is that
     * of the characters' code points.
     */
    @Test
    void rowKeysCompareByteByByteEverywhere() throws Exception {
        upload("id,country\nb,x\nB,x\na,x\nZ,x\n\u00e9,x\ne,x\n10,x\n9,x\n\u00e4,x\n", UploadProcessor.Mode.UPSERT, 4);
        List<String> notC = new ArrayList<>();
        List<String> holders = new ArrayList<>();
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT table_name, column_name, collation_name "
                    + "FROM information_schema.columns WHERE table_schema = current_schema() AND (column_name IN "
                    + "('row_key', 'row_keys') OR (column_name = 'dataset_id' AND table_name IN "
                    + "('dataset_row', 'pending_change', 'row_membership')) OR (column_name IN ('segment_id', 'destination') "
                    + "AND table_name IN ('activation_set', 'activation_rejected'))) ORDER BY 1, 2");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(1) + "." + rs.getString(2);
                    holders.add(column);
                    if (!"C".equals(rs.getString(3))) {
                        notC.add(column + " (" + rs.getString(3) + ")");
                    }
                }
            }
            return null;
        });
        assertTrue(holders.containsAll(List.of("dataset_row.row_key", "dataset_row.dataset_id", "pending_change.row_key",
                "row_membership.row_key", "activation_member.row_key", "activation_set.segment_id", "sync_job_item.row_key",
                "membership_change.row_keys", table() + ".row_key")), holders::toString);
        assertEquals(List.of(), notC);

        List<String> keys = new ArrayList<>();
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT row_key FROM dataset_row WHERE dataset_id = ? "
                    + "ORDER BY row_key")) {
                ps.setString(1, datasetId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            return null;
        });
        assertEquals(List.of("1", "10", "2", "3", "4", "9", "B", "Z", "a", "b", "e", "\u00e4", "\u00e9"), keys);
    }

    private void storeColumns(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_column VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < columns.size(); i++) {
                ps.setString(1, datasetId);
                ps.setInt(2, i);
                ps.setString(3, columns.get(i).getName());
                ps.setString(4, columns.get(i).getType().apiName());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Applies an upload as the boundary does, new columns stored with it. */
    private void upload(String csv, UploadProcessor.Mode mode, long rowCount) throws Exception {
        inTransaction(c -> {
            try (SpooledUpload file = SpooledUpload.of(csv.getBytes(StandardCharsets.UTF_8))) {
                var outcome = UploadProcessor.apply(c, datasetId, new UploadProcessor.Schema("id", List.copyOf(columns),
                        rowCount), file, new UploadProcessor.Options("id", mode, null, null, 0.5));
                for (DatasetColumn added : outcome.newColumns()) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_column VALUES (?, ?, ?, ?)")) {
                        ps.setString(1, datasetId);
                        ps.setInt(2, columns.size());
                        ps.setString(3, added.getName());
                        ps.setString(4, added.getType().apiName());
                        ps.executeUpdate();
                    }
                    columns.add(added);
                }
            }
            return null;
        });
    }

    private Preview.Result preview(Rule rule, int limit) throws Exception {
        return inTransaction(c -> Preview.run(c, datasetId, rule, limit, 1000, EvaluatorContract.NOW));
    }

    private void assertConsistent() throws Exception {
        inTransaction(c -> {
            TypedTables.assertConsistent(c, datasetId, TypedRows.of(columns));
            return null;
        });
    }

    private String table() throws Exception {
        return inTransaction(c -> TypedRows.current(c, datasetId).orElseThrow().name());
    }

    private long count(String sql) throws Exception {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private void update(String sql) throws Exception {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                return ps.executeUpdate();
            }
        });
    }

    interface Work<T> {
        T run(Connection c) throws Exception;
    }

    private static <T> T inTransaction(Work<T> work) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Exception | Error e) {
                c.rollback();
                throw e;
            }
        }
    }
}
