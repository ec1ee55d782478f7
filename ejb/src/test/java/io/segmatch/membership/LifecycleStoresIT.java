package io.segmatch.membership;

import io.segmatch.lifecycle.store.Erasures;
import io.segmatch.lifecycle.store.HistoryPurges;
import io.segmatch.membership.store.MemberHistory;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** History retention and erasure completion, on a real PostgreSQL. */
class LifecycleStoresIT {

    private DataSource db;

    @BeforeEach
    void database() throws SQLException {
        db = TestDatabase.newDatabase("lifecycle");
        sql("INSERT INTO dataset (id, name, key_column, created_at, updated_at) VALUES ('d', 'd', 'id', now(), now())");
        sql("INSERT INTO segment (id, name, dataset_id, logic, conditions_json, member_count, status, created_at, updated_at) "
                + "VALUES ('s', 's', 'd', 'AND', '[]', 3, 'live', now(), now())");
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<MemberHistory.Point> history() throws SQLException {
        try (Connection c = db.getConnection()) {
            return MemberHistory.history(c, "s", 100);
        }
    }

    /** Runs 1–4 changed segment s: 1 and 2 long ago, 3 and 4 recently; the segment has 3 members now. */
    private void fourRuns() throws SQLException {
        for (int run = 1; run <= 4; run++) {
            String at = run <= 2 ? "now() - interval '500 days'" : "now() - interval '" + (5 - run) + " days'";
            sql("INSERT INTO processing_run (id, status, started_at, heartbeat_at, ended_at, reason) VALUES ("
                    + run + ", 'completed', " + at + ", " + at + ", " + at + ", 'test')",
                    "INSERT INTO segment_run (segment_id, run_id, entered) VALUES ('s', " + run + ", 1)",
                    "INSERT INTO membership_change (segment_id, change, at, run_id, row_keys) VALUES ('s', 'enter', "
                            + at + ", " + run + ", ARRAY['k" + run + "'])");
        }
        sql("INSERT INTO membership_change (segment_id, change, at, run_id, row_keys) VALUES "
                + "('s', 'exit', now() - interval '1 day', 4, ARRAY['k1'])");
    }

    @Test
    void aPurgeRemovesOnlyWhatIsOlderThanTheCutoffInBatchesAndTheChartKeepsItsCounts() throws Exception {
        fourRuns();
        // an old sync: a settled job with its people, and one still open at Google
        sql("INSERT INTO sync_batch (id, status, reason, started_at, heartbeat_at, ended_at) VALUES "
                        + "(1, 'completed', 't', now() - interval '500 days', now(), now() - interval '500 days')",
                "INSERT INTO sync_run (id, batch_id, segment_id, transport, status, reason, started_at, ended_at) VALUES "
                        + "(1, 1, 's', 'google', 'completed', 't', now() - interval '500 days', now() - interval '500 days'),"
                        + "(2, 1, 's', 'google', 'completed', 't', now() - interval '500 days', now() - interval '500 days')",
                "INSERT INTO sync_job (id, sync_run_id, segment_id, user_list, kind, status, created_at, updated_at) VALUES "
                        + "(1, 1, 's', 'l', 'add', 'success', now() - interval '500 days', now() - interval '500 days'),"
                        + "(2, 2, 's', 'l', 'add', 'running', now() - interval '500 days', now() - interval '500 days')",
                "INSERT INTO sync_job_item (job_id, row_key, identifiers, position) VALUES (1, 'k1', '{}', 0), (2, 'k2', '{}', 0)");
        List<MemberHistory.Point> before = history();
        assertEquals(4, before.size());

        Instant cutoff = Instant.now().minus(Duration.ofDays(400));
        long id;
        try (Connection c = db.getConnection()) {
            id = HistoryPurges.claim(c, cutoff, "test", Duration.ofHours(23), false).orElseThrow();
            assertTrue(HistoryPurges.claim(c, cutoff, "test", Duration.ofHours(23), false).isEmpty(), "one a day");
            for (HistoryPurges.Kind kind : HistoryPurges.Kind.values()) {
                // batches of one: every record its own transaction, until none is left
                while (HistoryPurges.batch(c, id, kind, cutoff, 1) > 0) {
                    // the next batch
                }
            }
            HistoryPurges.finish(c, id, null);
            var purge = HistoryPurges.latest(c).orElseThrow();
            assertEquals(2, purge.logEntries());
            assertEquals(2, purge.processingRuns());
            assertEquals(1, purge.syncJobs(), "the job still running at Google stays");
            assertEquals(1, purge.syncs(), "so does its sync");
        }
        assertEquals(2, count("SELECT count(*) FROM processing_run"));
        assertEquals(2, count("SELECT count(*) FROM segment_run"));
        assertEquals(0, count("SELECT count(*) FROM sync_job_item WHERE job_id = 1"));
        assertEquals(1, count("SELECT count(*) FROM sync_job_item WHERE job_id = 2"));
        assertEquals(1, count("SELECT count(*) FROM sync_batch"), "the batch of the run left stays");

        List<MemberHistory.Point> after = history();
        assertEquals(before.subList(2, 4), after, "the runs kept show the same counts as before the purge");
    }

    @Test
    void anErasureCompletesOnlyOnceNothingDownstreamNeedsTheKeysThenScrubsThem() throws Exception {
        fourRuns();
        sql("INSERT INTO membership_change (segment_id, change, at, run_id, row_keys) VALUES "
                        + "('s', 'enter', now(), 4, ARRAY['k9', 'gone', 'k8'])",
                "INSERT INTO sync_batch (id, status, reason, started_at, heartbeat_at, ended_at) VALUES (1, 'completed', 't', now(), now(), now())",
                "INSERT INTO sync_run (id, batch_id, segment_id, transport, status, reason, started_at) VALUES "
                        + "(1, 1, 's', 'google', 'completed', 't', now())",
                "INSERT INTO sync_job (id, sync_run_id, segment_id, user_list, kind, status, created_at, updated_at) VALUES "
                        + "(1, 1, 's', 'l', 'remove', 'running', now(), now())",
                "INSERT INTO sync_job_item (job_id, row_key, identifiers, position) VALUES (1, 'gone', '{}', 0), (1, 'k9', '{}', 1)",
                "INSERT INTO activation_set (segment_id, destination) VALUES ('s', 'google-ads')",
                "INSERT INTO activation_list (user_list) VALUES ('l')",
                "INSERT INTO activation_member (set_id, row_key, list_id, identifiers, added_at) SELECT v.id, 'gone', l.id, '{}', now() "
                        + "FROM activation_set v, activation_list l WHERE v.segment_id = 's' AND l.user_list = 'l'",
                "INSERT INTO pending_change (dataset_id, row_key) VALUES ('d', 'gone')",
                "INSERT INTO membership_change (segment_id, change, at, run_id, row_keys) VALUES ('s', 'enter', now(), 4, ARRAY['gone'])");
        long id;
        try (Connection c = db.getConnection()) {
            id = Erasures.record(c, "admin", "email", List.of(new Erasures.RowRef("d", "gone")));
            assertEquals(List.of(id), Erasures.pending(c));

            assertFalse(Erasures.completeIfSettled(c, id), "its exit is not evaluated yet");
            sql("DELETE FROM pending_change");
            assertFalse(Erasures.completeIfSettled(c, id), "Google still holds the person");
            sql("DELETE FROM activation_member");
            assertFalse(Erasures.completeIfSettled(c, id), "the job removing them still runs");
            sql("UPDATE sync_job SET status = 'success'");

            assertTrue(Erasures.completeIfSettled(c, id));
            assertEquals("done", Erasures.find(c, id).orElseThrow().status());
        }
        assertEquals(0, count("SELECT count(*) FROM membership_change WHERE 'gone' = ANY (row_keys)"));
        assertEquals(1, count("SELECT count(*) FROM membership_change WHERE row_keys = ARRAY['k9', 'k8']"),
                "an entry shared with others keeps the others");
        assertEquals(0, count("SELECT count(*) FROM sync_job_item WHERE row_key = 'gone'"));
        assertEquals(1, count("SELECT count(*) FROM sync_job_item WHERE row_key = 'k9'"));
        assertEquals(0, count("SELECT count(*) FROM erasure WHERE row_refs IS NOT NULL"), "the keys are forgotten");
    }
}
