package io.segmatch.membership;

import io.segmatch.membership.store.RowMemberships;
import io.segmatch.shared.control.SchemaMigrations;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade that names the memberships' dataset by its number (V16) keeps every membership
 * of a dataset that exists, with its segments and times, under that dataset's number; a
 * dataset created after it gets a number of its own.
 */
class MembershipMigrationIT {

    @Test
    void membershipsKeepTheirDatasetAcrossTheUpgrade() throws Exception {
        DataSource db = TestDatabase.atVersion("membershipmigration", "15");
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            for (String d : List.of("d-one", "d-two")) {
                st.execute("INSERT INTO dataset (id, name, key_column, row_count, created_at, updated_at) VALUES ('" + d
                        + "', '" + d + "', 'id', 3, now(), now())");
            }
            st.execute("INSERT INTO row_membership (dataset_id, row_key, segments, since) VALUES "
                    + "('d-one', 'a', '{1,3}', '{100,300}'), ('d-one', 'b', '{3}', '{301}'), "
                    + "('d-two', 'a', '{2}', '{200}'), ('gone', 'z', '{9}', '{900}')");
        }

        assertTrue(Integer.parseInt(SchemaMigrations.migrate(db).split("\\.")[0]) >= 16);

        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            assertEquals(List.of("d-one a {1,3} {100,300}", "d-one b {3} {301}", "d-two a {2} {200}"),
                    rows(st, "SELECT d.id, m.row_key, m.segments::text, m.since::text FROM row_membership m "
                            + "JOIN dataset d ON d.number = m.dataset ORDER BY 1, 2"));
            // the dataset that no longer existed left its membership behind
            assertEquals(List.of("3"), rows(st, "SELECT count(*) FROM row_membership"));
            st.execute("INSERT INTO dataset (id, name, key_column, row_count, created_at, updated_at) "
                    + "VALUES ('d-three', 'd-three', 'id', 0, now(), now())");
            int one = RowMemberships.number(c, "d-one");
            int three = RowMemberships.number(c, "d-three");
            assertNotEquals(one, three);
            assertEquals(List.of("2"), rows(st, "SELECT count(DISTINCT number) FROM dataset "
                    + "WHERE id IN ('d-one', 'd-two')"));
        }
    }

    private static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    values.add(rs.getString(i));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }
}
