package io.segmatch.activation;

import io.segmatch.activation.store.ActivationSets;
import io.segmatch.activation.store.Destination;
import io.segmatch.shared.control.SchemaMigrations;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade that numbers the acknowledged sets and lists (V21) keeps every acknowledged person
 * with their segment, destination, list, identifiers and time; a set numbered afterwards comes
 * after every set before it, whatever its segment's id, and keeps its number. The one after it
 * (V22) gives each set the bound of its people due to be added again (its oldest person's time)
 * and leaves the acknowledged people with their key alone.
 */
class AcknowledgedSetsMigrationIT {

    /** Every acknowledged person as "segment destination key list identifiers added", in that order. */
    private static final String PEOPLE = "SELECT string_agg(concat_ws(' ', v.segment_id, v.destination, a.row_key, "
            + "l.user_list, convert_from(a.identifiers, 'UTF8'), extract(epoch FROM a.added_at)::bigint), '; ' "
            + "ORDER BY v.segment_id, v.destination, a.row_key) FROM activation_member a "
            + "JOIN activation_set v ON v.id = a.set_id JOIN activation_list l ON l.id = a.list_id";

    @Test
    void acknowledgedPeopleKeepTheirSetListAndIdentifiers() throws Exception {
        DataSource db = TestDatabase.atVersion("acknowledgedsets", "20");
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO activation_member (segment_id, row_key, user_list, identifiers, added_at, destination) VALUES "
                    + "('seg-b', 'k1', 'customers/1/userLists/7', convert_to('{\"e\":\"1\"}', 'UTF8'), to_timestamp(1000), 'google-ads'), "
                    + "('seg-b', 'k2', 'customers/1/userLists/8', convert_to('{\"e\":\"2\"}', 'UTF8'), to_timestamp(2000), 'google-ads'), "
                    + "('seg-b', 'k1', '120000', convert_to('{\"m\":\"1\"}', 'UTF8'), to_timestamp(3000), 'meta'), "
                    + "('seg-a', 'k1', 'customers/1/userLists/7', convert_to('{\"e\":\"3\"}', 'UTF8'), to_timestamp(4000), 'google-ads')");
        }

        assertTrue(Integer.parseInt(SchemaMigrations.migrate(db).split("\\.")[0]) >= 21);

        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            assertEquals("seg-a google-ads k1 customers/1/userLists/7 {\"e\":\"3\"} 4000; "
                            + "seg-b google-ads k1 customers/1/userLists/7 {\"e\":\"1\"} 1000; "
                            + "seg-b google-ads k2 customers/1/userLists/8 {\"e\":\"2\"} 2000; "
                            + "seg-b meta k1 120000 {\"m\":\"1\"} 3000",
                    one(st, PEOPLE));
            assertEquals("3 3", one(st, "SELECT (SELECT count(*) FROM activation_set) || ' ' "
                    + "|| (SELECT count(*) FROM activation_list)"));
            // (V22) each set's bound for the people due to be added again: its oldest person's time
            assertEquals("seg-a google-ads 4000; seg-b google-ads 1000; seg-b meta 3000", one(st, "SELECT string_agg("
                    + "concat_ws(' ', segment_id, destination, extract(epoch FROM added_since)::bigint), '; ' "
                    + "ORDER BY segment_id, destination) FROM activation_set"));
            assertEquals("0", one(st, "SELECT count(*) FROM pg_indexes WHERE tablename = 'activation_member' "
                    + "AND indexname <> 'activation_member_pkey'"));

            int a = ActivationSets.id(c, "seg-a", Destination.GOOGLE_ADS);
            int b = ActivationSets.id(c, "seg-b", Destination.META);
            assertTrue(a != ActivationSets.NONE && b != ActivationSets.NONE && a != b);
            assertEquals(ActivationSets.NONE, ActivationSets.id(c, "seg-0", Destination.GOOGLE_ADS));
            // a set numbered now, of a segment whose id sorts before every other, comes after them all
            int first = ActivationSets.ensure(c, "seg-0", Destination.GOOGLE_ADS);
            assertEquals("true", one(st, "SELECT (" + first + " > (SELECT max(id) FROM activation_set WHERE segment_id <> 'seg-0'))::text"));
            assertEquals(first, ActivationSets.ensure(c, "seg-0", Destination.GOOGLE_ADS));
            assertEquals(a, ActivationSets.ensure(c, "seg-a", Destination.GOOGLE_ADS));
            assertTrue(ActivationSets.holdsAny(c, a));
            assertEquals(false, ActivationSets.holdsAny(c, first));
            assertEquals(ActivationSets.listId(c, "120000"), ActivationSets.ensureList(c, "120000"));
            assertEquals(ActivationSets.NONE, ActivationSets.listId(c, "customers/1/userLists/9"));
        }
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
