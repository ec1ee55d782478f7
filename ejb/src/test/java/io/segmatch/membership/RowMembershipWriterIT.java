package io.segmatch.membership;

import io.segmatch.membership.evaluation.Memberships;
import io.segmatch.membership.store.RowMemberships;
import io.segmatch.shared.control.SchemaMigrations;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The membership writer: rows without memberships are copied in, rows whose memberships the
 * transaction read are updated by key, emptied ones deleted, in batches of any size; a row
 * whose memberships another transaction removed after they were read fails the whole write
 * instead of being written back.
 */
class RowMembershipWriterIT {

    private static DataSource db;

    @BeforeAll
    static void database() {
        db = TestDatabase.dataSource(TestDatabase.emptyDatabaseUrl("rowmembershipwriter"));
        SchemaMigrations.migrate(db);
    }

    @BeforeEach
    void memberships() throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM row_membership");
            st.execute("DELETE FROM dataset");
            for (String d : List.of("d-one", "d-two")) {
                st.execute("INSERT INTO dataset (id, name, key_column, row_count, created_at, updated_at) VALUES ('" + d
                        + "', '" + d + "', 'id', 3, now(), now())");
            }
            st.execute("INSERT INTO row_membership (dataset, row_key, segments, since) SELECT d.number, k, '{1,3}', '{100,300}' "
                    + "FROM dataset d, unnest(ARRAY['a', 'b', 'c', 'd', 'e']) AS k");
        }
    }

    @Test
    void writesEachKindOfRowInBatchesOfAnySize() throws SQLException {
        for (int batch : new int[]{1, 2, 5000}) {
            memberships();
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                RowMemberships.Writer writer = new RowMemberships.Writer(c, "d-one", batch);
                writer.put("a", new Memberships(new int[]{1, 2, 3}, new long[]{100, 500, 300}), false);
                writer.put("b", new Memberships(new int[]{3}, new long[]{300}), false);
                writer.put("c", new Memberships(new int[0], new long[0]), false);
                writer.put("x\ty", new Memberships(new int[]{2}, new long[]{500}), true);
                writer.put("z", new Memberships(new int[0], new long[0]), true);
                writer.flush();
                c.commit();
                assertEquals(4, writer.written(), "batch " + batch);
            }
            assertEquals(List.of("d-one a {1,2,3} {100,500,300}", "d-one b {3} {300}", "d-one d {1,3} {100,300}",
                    "d-one e {1,3} {100,300}", "d-one x\ty {2} {500}",
                    "d-two a {1,3} {100,300}", "d-two b {1,3} {100,300}", "d-two c {1,3} {100,300}",
                    "d-two d {1,3} {100,300}", "d-two e {1,3} {100,300}"), rows(), "batch " + batch);
        }
    }

    @Test
    void membershipsRemovedAfterTheyWereReadFailTheWrite() throws SQLException {
        List<String> before = rows();
        try (Connection c = db.getConnection(); Connection other = db.getConnection()) {
            c.setAutoCommit(false);
            RowMemberships.Writer writer = new RowMemberships.Writer(c, "d-one", 5000);
            writer.put("a", new Memberships(new int[]{1, 2, 3}, new long[]{100, 500, 300}), false);
            writer.put("x", new Memberships(new int[]{2}, new long[]{500}), true);
            writer.put("b", new Memberships(new int[]{2}, new long[]{500}), false);
            // read by the writer's transaction, then removed by another one before the write
            try (Statement st = other.createStatement()) {
                assertEquals(1, st.executeUpdate("DELETE FROM row_membership WHERE row_key = 'b' "
                        + "AND dataset = (SELECT number FROM dataset WHERE id = 'd-one')"));
            }
            SQLException e = assertThrows(SQLException.class, writer::flush);
            assertTrue(e.getMessage().contains("1 of 2 rows of dataset d-one were removed"), e.getMessage());
            c.rollback();
        }
        List<String> expected = new ArrayList<>(before);
        expected.remove("d-one b {1,3} {100,300}");
        // the removed row stays removed, and nothing else of the write stands
        assertEquals(expected, rows());
    }

    private static List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT d.id, m.row_key, m.segments::text, m.since::text FROM row_membership m "
                     + "JOIN dataset d ON d.number = m.dataset ORDER BY 1, 2")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        return rows;
    }
}
