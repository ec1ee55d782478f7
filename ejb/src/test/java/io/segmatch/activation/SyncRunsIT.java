package io.segmatch.activation;

import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.JobSettlement;
import io.segmatch.activation.store.SyncBatches;
import io.segmatch.activation.store.SyncJobs;
import io.segmatch.activation.store.SyncRuns;
import io.segmatch.activation.store.SyncStatus;
import io.segmatch.shared.store.Jdbc;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sync reports that follow the platform, on a real PostgreSQL: a job still running there is
 * polled every {@code poll-interval} (not only at the next sync interval), and what the
 * platform accepted is credited to the run that sent the job — which, if it ended waiting for
 * it, ends then — not to the later run that saw the job finish.
 */
class SyncRunsIT {

    static final Duration INTERVAL = Duration.ofMinutes(5);
    static final Duration POLL = Duration.ofSeconds(30);
    static final Duration LOST_AFTER = Duration.ofMinutes(3);
    static DataSource db;

    @BeforeAll
    static void database() {
        db = TestDatabase.newDatabase("sync_runs");
    }

    @BeforeEach
    void empty() {
        sql("DELETE FROM sync_job", "DELETE FROM sync_run", "DELETE FROM sync_batch");
    }

    void sql(String... statements) {
        Jdbc.inLocalTransaction(db, c -> {
            try (Statement st = c.createStatement()) {
                for (String s : statements) {
                    st.execute(s);
                }
            }
            return null;
        });
    }

    boolean due() {
        return Jdbc.inLocalTransaction(db, c -> SyncBatches.due(c, INTERVAL, POLL, LOST_AFTER, Duration.ofDays(3650)));
    }

    /** A finished sync started {@code secondsAgo}, with a segment run of the given status and, optionally, its job. */
    long lastSync(int secondsAgo, String runStatus, String jobStatus) {
        return Jdbc.inLocalTransaction(db, c -> {
            long batch;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("INSERT INTO sync_batch (status, reason, "
                    + "started_at, heartbeat_at, ended_at) VALUES ('completed', 'test', now() - interval '" + secondsAgo
                    + " seconds', now(), now()) RETURNING id")) {
                rs.next();
                batch = rs.getLong(1);
            }
            long run;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_run (batch_id, segment_id, transport, status, reason, "
                    + "started_at, ended_at) VALUES (?, 'seg-1', 'google-ads', ?, 'test', now(), now()) RETURNING id")) {
                ps.setLong(1, batch);
                ps.setString(2, runStatus);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    run = rs.getLong(1);
                }
            }
            if (jobStatus != null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_job (sync_run_id, segment_id, user_list, kind, "
                        + "status, created_at, updated_at) VALUES (?, 'seg-1', 'customers/1/userLists/2', 'add', ?, now(), now())")) {
                    ps.setLong(1, run);
                    ps.setString(2, jobStatus);
                    ps.executeUpdate();
                }
            }
            return run;
        });
    }

    @Test
    void aJobStillRunningAtThePlatformIsPolledEveryThirtySeconds() {
        lastSync(40, "waiting", "running");
        assertTrue(due(), "40 s after the last sync, with a job running at Google: poll it (the interval is 5 minutes)");
        empty();
        lastSync(10, "waiting", "running");
        assertFalse(due(), "10 s after: not yet");
        empty();
        lastSync(40, "completed", "success");
        assertFalse(due(), "nothing running: the interval decides");
        empty();
        lastSync(40, "waiting", "running");
        sql("INSERT INTO sync_batch (status, reason, started_at, heartbeat_at) VALUES ('running', 'test', now(), now())");
        assertFalse(due(), "never while a sync runs");
    }

    /**
     * People added over 500 days ago make a sync due through their set's bound (no scan of the
     * acknowledged people): due while a set's bound is older than that, not once a plan moved it.
     */
    @Test
    void peopleDueToBeAddedAgainMakeASyncDue() {
        sql("DELETE FROM activation_set");
        lastSync(400, "completed", "success");
        sql("INSERT INTO activation_set (segment_id, destination, added_since) VALUES ('seg-1', 'google-ads', now() - interval '499 days')");
        assertFalse(due(), "everyone added 499 days ago or later");
        sql("INSERT INTO activation_set (segment_id, destination, added_since) VALUES ('seg-1', 'meta', now() - interval '501 days')");
        assertTrue(due(), "a set of people added 501 days ago");
        sql("UPDATE activation_set SET added_since = now() - interval '1 day' WHERE destination = 'meta'");
        assertFalse(due(), "its bound moved by the plan that took them");
        sql("DELETE FROM activation_set");
    }

    @Test
    void whatThePlatformAcceptedCountsForTheRunThatSentIt() {
        long sender = lastSync(40, "waiting", "running");
        long poller = lastSync(5, "running", null);
        SyncJobs.Job job = Jdbc.inLocalTransaction(db, c -> SyncJobs.open(c, "seg-1", Destination.GOOGLE_ADS)).orElseThrow();
        assertEquals(sender, job.syncRunId());
        // (the settlement marks the job first, as JobSettlement.succeeded does)
        sql("UPDATE sync_job SET status = 'success' WHERE id = " + job.id());
        Jdbc.inLocalTransaction(db, c -> {
            SyncRuns.settled(c, job, new JobSettlement.Outcome(127, 2, Map.of("INVALID_SHA256_FORMAT", 2L)), null);
            return null;
        });
        assertEquals(List.of("completed", "127", "2"), run(sender), "the sending run gets the figures and ends");
        assertEquals(List.of("running", "0", "0"), run(poller), "the run that saw it finish sent nothing");
        // a run whose plan made two jobs: the first settled leaves it waiting, the second ends it
        long planner = lastSync(40, "waiting", "running");
        sql("INSERT INTO sync_job (sync_run_id, segment_id, user_list, kind, status, created_at, updated_at) VALUES ("
                + planner + ", 'seg-1', 'customers/1/userLists/2', 'add', 'new', now(), now())");
        for (String expected : List.of("waiting", "completed")) {
            SyncJobs.Job next = Jdbc.inLocalTransaction(db, c -> SyncJobs.open(c, "seg-1", Destination.GOOGLE_ADS)).orElseThrow();
            assertEquals(planner, next.syncRunId());
            sql("UPDATE sync_job SET status = 'success' WHERE id = " + next.id());
            Jdbc.inLocalTransaction(db, c -> {
                SyncRuns.settled(c, next, new JobSettlement.Outcome(3, 0, Map.of()), null);
                return null;
            });
            assertEquals(expected, run(planner).get(0), "the run after each of its two jobs settled");
        }
        assertEquals("6", run(planner).get(1), "both jobs' people count for the run that planned them");
        // a failed job ends the run that waited for it as failed, though another of its jobs is still to come
        long failing = lastSync(40, "waiting", "running");
        sql("INSERT INTO sync_job (sync_run_id, segment_id, user_list, kind, status, created_at, updated_at) VALUES ("
                + failing + ", 'seg-1', 'customers/1/userLists/2', 'add', 'new', now(), now())");
        SyncJobs.Job other = Jdbc.inLocalTransaction(db, c -> SyncJobs.open(c, "seg-1", Destination.GOOGLE_ADS)).orElseThrow();
        assertEquals(failing, other.syncRunId());
        sql("UPDATE sync_job SET status = 'failed' WHERE id = " + other.id());
        Jdbc.inLocalTransaction(db, c -> {
            SyncRuns.settled(c, other, null, "Google reported the job failed");
            return null;
        });
        assertEquals(List.of("failed", "0", "0"), run(failing));
        sql("UPDATE sync_job SET status = 'abandoned' WHERE sync_run_id = " + failing);
        // a job that fails while the run that planned it is still going: the run ends failed, not completed
        long going = lastSync(5, "running", "running");
        SyncJobs.Job first = Jdbc.inLocalTransaction(db, c -> SyncJobs.open(c, "seg-1", Destination.GOOGLE_ADS)).orElseThrow();
        assertEquals(going, first.syncRunId());
        sql("UPDATE sync_job SET status = 'failed' WHERE id = " + first.id());
        Jdbc.inLocalTransaction(db, c -> {
            SyncRuns.settled(c, first, null, "Google reported the job failed");
            SyncRuns.finish(c, going, "seg-1", SyncStatus.COMPLETED, 3L, null, null, java.time.Instant.now());
            return null;
        });
        assertEquals(List.of("failed", "0", "0"), run(going), "a failed job's run stays failed at its end");
        assertEquals("Google reported the job failed", Jdbc.inLocalTransaction(db, c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT error FROM sync_run WHERE id = " + going)) {
                rs.next();
                return rs.getString(1);
            }
        }));
    }

    /** A run names its list from its start when the list exists, and from its creation when the run creates it. */
    @Test
    void aRunNamesItsListWhileItRuns() {
        long earlier = lastSync(40, "completed", null);
        long batch = Jdbc.inLocalTransaction(db, c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT batch_id FROM sync_run WHERE id = " + earlier)) {
                rs.next();
                return rs.getLong(1);
            }
        });
        long known = Jdbc.inLocalTransaction(db, c -> SyncRuns.start(c, batch, "seg-2", Destination.GOOGLE_ADS, "google-ads",
                "test", "customers/1/userLists/2"));
        long created = Jdbc.inLocalTransaction(db, c -> SyncRuns.start(c, batch, "seg-3", Destination.META, "graph-api",
                "test", null));
        assertEquals("customers/1/userLists/2", listed("seg-2").userList(), "named while running");
        assertEquals(null, listed("seg-3").userList(), "no list yet");
        Jdbc.inLocalTransaction(db, c -> {
            SyncRuns.record(c, created, "23848672402580001", null);
            return null;
        });
        assertEquals("23848672402580001", listed("seg-3").userList(), "named once created, before any plan");
        assertEquals(List.of(known, created), List.of(listed("seg-2").id(), listed("seg-3").id()));
    }

    SyncRuns.Run listed(String segment) {
        return Jdbc.inLocalTransaction(db, c -> SyncRuns.list(c, segment, 1)).get(0);
    }

    List<String> run(long id) {
        return Jdbc.inLocalTransaction(db, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT status, added, rejected FROM sync_run WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return List.of(rs.getString(1), String.valueOf(rs.getLong(2)), String.valueOf(rs.getLong(3)));
                }
            }
        });
    }
}
