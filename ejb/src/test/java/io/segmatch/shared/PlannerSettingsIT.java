package io.segmatch.shared;

import io.segmatch.shared.store.Jdbc;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The planner settings a statement runs with: parallel workers costed as free, and at least as
 * many workers as asked for where the database allows fewer; each set back for the rest of the
 * transaction once the statement has run.
 */
class PlannerSettingsIT {

    private static DataSource db;

    @BeforeAll
    static void database() {
        db = TestDatabase.newDatabase("planner");
    }

    @Test
    void aStatementGetsTheWorkersItNeedsAndTheTransactionGetsItsOwnBack() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            execute(c, "SET max_parallel_workers_per_gather = 1");
            List<String> before = settings(c);
            List<String> during = Jdbc.withParallelWorkersFree(c, 2, x -> settings(x));
            assertEquals(List.of("0", "0", "2"), during, "setup cost, tuple cost, workers while the work runs");
            assertEquals(before, settings(c), "the transaction's own settings after it");
            assertEquals("1", before.get(2));
            c.rollback();
        }
    }

    @Test
    void moreWorkersThanAskedForAreLeftAsTheyAre() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            execute(c, "SET max_parallel_workers_per_gather = 3");
            List<String> before = settings(c);
            assertEquals(List.of("0", "0", "3"), Jdbc.withParallelWorkersFree(c, 2, x -> settings(x)));
            assertEquals(List.of("0", "0", "3"), Jdbc.withParallelWorkersFree(c, x -> settings(x)));
            assertEquals(before, settings(c));
            c.rollback();
        }
    }

    private static List<String> settings(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('parallel_setup_cost'), "
                + "current_setting('parallel_tuple_cost'), current_setting('max_parallel_workers_per_gather')")) {
            rs.next();
            return List.of(rs.getString(1), rs.getString(2), rs.getString(3));
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
