package io.segmatch.datasets.store;

import io.segmatch.live.store.LiveSnapshots;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The count of pending changes that the status reports ({@link PendingChanges#count}) is kept
 * by the statements that write them (migration V19) and always equals {@code count(*)} over
 * them: after random inserts, upserts, single-row records and consumptions, deletions in a
 * data-modifying {@code WITH} (as the bulk claim), rolled-back writes, a truncation and folds;
 * and in each transaction's snapshot while another one writes, folds or rolls back. After
 * every random step, the datasets found by the walk down the key index and their bounded
 * counts ({@link PendingChanges#datasets}, {@link PendingChanges#atLeast}) agree with a
 * grouping over every change.
 */
class PendingCountIT {

    @Test
    void theCountAlwaysEqualsTheChangesCounted() throws Exception {
        DataSource db = TestDatabase.newDatabase("pendingcount");
        Random random = new Random(20261203);
        try (Connection c = db.getConnection()) {
            assertCounted(c, "empty");
            for (int step = 0; step < 200; step++) {
                String dataset = "d" + random.nextInt(3);
                int from = random.nextInt(2000);
                int to = from + random.nextInt(300);
                String what = "step " + step + ": ";
                switch (random.nextInt(8)) {
                    case 0, 1 -> update(c, "INSERT INTO pending_change (dataset_id, row_key) SELECT ?, lpad(i::text, 6, '0') "
                            + "FROM generate_series(?, ?) i" + PendingChanges.ON_CONFLICT, dataset, from, to);
                    case 2 -> update(c, "DELETE FROM pending_change WHERE dataset_id = ? AND row_key BETWEEN "
                            + "lpad(?::text, 6, '0') AND lpad(?::text, 6, '0')", dataset, from, to);
                    case 3 -> update(c, "WITH claimed AS (DELETE FROM pending_change WHERE dataset_id = ? AND row_key >= "
                            + "lpad(?::text, 6, '0') RETURNING row_key) SELECT count(*) FROM claimed", dataset, from);
                    case 4 -> PendingChanges.record(c, dataset, String.format("%06d", from), Instant.now());
                    case 5 -> {
                        c.setAutoCommit(false);
                        update(c, "INSERT INTO pending_change (dataset_id, row_key) SELECT ?, 'x' || i "
                                + "FROM generate_series(?, ?) i ON CONFLICT DO NOTHING", dataset, from, to);
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                    case 6 -> PendingChanges.foldCount(c);
                    default -> {
                        if (random.nextInt(10) == 0) {
                            update(c, "TRUNCATE pending_change");
                        } else {
                            update(c, "DELETE FROM pending_change WHERE seq % 7 = ? AND dataset_id = ?", from % 7, dataset);
                        }
                    }
                }
                assertCounted(c, what);
                assertDatasetsFound(c, what, 1 + random.nextInt(400));
            }
            PendingChanges.foldCount(c);
            assertCounted(c, "folded");
            assertTrue(rows(c) <= 1, "a fold leaves one row at most: " + rows(c));
        }
    }

    @Test
    void eachSnapshotCountsWhatItSees() throws Exception {
        DataSource db = TestDatabase.newDatabase("pendingcountsnapshots");
        try (Connection writer = db.getConnection(); Connection reader = db.getConnection();
             Connection folder = db.getConnection()) {
            update(writer, "INSERT INTO pending_change (dataset_id, row_key) SELECT 'd1', i::text FROM generate_series(1, 500) i");

            // a write not yet committed is not counted by others, and a fold meanwhile keeps it
            writer.setAutoCommit(false);
            update(writer, "INSERT INTO pending_change (dataset_id, row_key) SELECT 'd1', 'n' || i FROM generate_series(1, 40) i");
            update(writer, "DELETE FROM pending_change WHERE row_key IN ('1', '2', '3')");
            assertEquals(537, PendingChanges.count(writer));
            assertEquals(500, PendingChanges.count(reader));
            PendingChanges.foldCount(folder);
            assertEquals(500, PendingChanges.count(reader));
            writer.commit();
            assertEquals(537, PendingChanges.count(reader));
            assertEquals(537, PendingChanges.count(folder));

            // a rolled-back consumption leaves the count as it was
            update(writer, "DELETE FROM pending_change WHERE dataset_id = 'd1'");
            assertEquals(0, PendingChanges.count(writer));
            writer.rollback();
            writer.setAutoCommit(true);
            assertCounted(reader, "after the rollback");
            assertEquals(537, PendingChanges.count(reader));

            // a fold not yet committed while another transaction writes: others still count the
            // rows it folded, and the row written meanwhile stays beside its sum
            folder.setAutoCommit(false);
            PendingChanges.foldCount(folder);
            update(writer, "INSERT INTO pending_change (dataset_id, row_key) VALUES ('d2', 'a'), ('d2', 'b')");
            assertEquals(539, PendingChanges.count(reader));
            assertEquals(539, PendingChanges.count(folder));
            folder.commit();
            folder.setAutoCommit(true);
            assertEquals(539, PendingChanges.count(reader));
            assertCounted(reader, "after the fold");
            assertEquals(2, rows(reader), "the fold's sum and the row written meanwhile");
            assertEquals(539, LiveSnapshots.read(reader).pendingChanges(), "the live events' count");
        }
    }

    private static void assertCounted(Connection c, String what) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pending_change")) {
            rs.next();
            assertEquals(rs.getLong(1), PendingChanges.count(c), what);
        }
    }

    /**
     * The walk down the key index finds exactly the datasets that have changes, in id order, and
     * the bounded count answers as {@code count(*)} does (in and out of a transaction).
     */
    private static void assertDatasetsFound(Connection c, String what, int minimum) throws SQLException {
        List<String> expected = new ArrayList<>();
        List<Boolean> enough = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT dataset_id, count(*) >= ? FROM pending_change "
                + "GROUP BY dataset_id ORDER BY dataset_id COLLATE \"C\"")) {
            ps.setInt(1, minimum);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    expected.add(rs.getString(1));
                    enough.add(rs.getBoolean(2));
                }
            }
        }
        assertEquals(expected, PendingChanges.datasets(c), what + "datasets with changes");
        boolean inTransaction = minimum % 2 == 0;
        c.setAutoCommit(!inTransaction);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(enough.get(i), PendingChanges.atLeast(c, expected.get(i), minimum),
                    what + expected.get(i) + " has at least " + minimum);
        }
        assertFalse(PendingChanges.atLeast(c, "none", 1), what + "a dataset without changes");
        if (inTransaction) {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private static long rows(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pending_change_count")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        }
    }
}
