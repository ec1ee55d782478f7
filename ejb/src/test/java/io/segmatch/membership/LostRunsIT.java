package io.segmatch.membership;

import io.segmatch.activation.store.SyncBatches;
import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.membership.store.RunStatus;
import io.segmatch.membership.store.SegmentStates;
import io.segmatch.shared.store.Jdbc;
import io.segmatch.shared.store.ServerInstances;
import io.segmatch.shared.store.Transactions.Work;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs and syncs whose server is gone are known at once, through the instance lock their server
 * held; a run whose server lives is never taken for lost by a timeout; the work of a lost run is
 * asked for again; a run taken for lost cannot write any more.
 */
class LostRunsIT {

    private static final Duration LONG = Duration.ofMinutes(3);
    private DataSource db;

    @BeforeEach
    void database() {
        db = TestDatabase.newDatabase("lost_runs");
    }

    /** A server: its own session, holding its instance lock. */
    private record Server(Connection session, int id) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            session.close();
        }
    }

    private Server server(String host) throws SQLException {
        Connection c = db.getConnection();
        return new Server(c, ServerInstances.register(c, host));
    }

    private <T> T tx(Work<T> work) {
        return Jdbc.inLocalTransaction(db, work);
    }

    private boolean holds(Work<Boolean> work) throws SQLException {
        return tx(work);
    }

    private long count(String sql) throws SQLException {
        return tx(c -> count(c, sql));
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void segmentsSavedInABurstSettleBeforeTheirRunStarts() throws Exception {
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        Duration settle = Duration.ofSeconds(2);
        tx(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO dataset (id, name, key_column, created_at, updated_at) VALUES ('d', 'd', 'id', now(), now())");
            }
            segmentChanged(c, "a", t.minusSeconds(1));
            ProcessingRuns.request(c, "segment a was created");
            return null;
        });
        var due = tx(c -> ProcessingRuns.due(c, t, settle));
        assertTrue(due.settling() && due.requested() && due.staleSegments(), due.toString());
        assertFalse(due.due(t, LONG), "a second after a segment changed, the run waits for the next one");
        assertFalse(tx(ProcessingRuns::due).settling(), "without a settle time nothing waits");

        // a run that started meanwhile for another reason leaves the settling segment to the next
        assertTrue(tx(c -> SegmentStates.needingRebuild(c, ProcessingRuns.settling(c, t, settle))).isEmpty());
        assertEquals(List.of("a"), tx(c -> SegmentStates.needingRebuild(c, false)).get("d"));

        assertTrue(tx(c -> ProcessingRuns.due(c, t.plusSeconds(3), settle)).due(t.plusSeconds(3), LONG),
                "two seconds without a change: the run starts");
        assertEquals(List.of("a"), tx(c -> SegmentStates.needingRebuild(c,
                ProcessingRuns.settling(c, t.plusSeconds(3), settle))).get("d"), "and builds it");

        // another segment, then another: each one holds the run back again ...
        tx(c -> segmentChanged(c, "b", t.plusMillis(2500)));
        assertTrue(tx(c -> ProcessingRuns.due(c, t.plusSeconds(3), settle)).settling());
        tx(c -> segmentChanged(c, "c", t.plusSeconds(8)));
        assertTrue(tx(c -> ProcessingRuns.due(c, t.plusMillis(8800), settle)).settling(), "a waited 9.8 s");
        // ... but none waits longer than five settle times
        var capped = tx(c -> ProcessingRuns.due(c, t.plusMillis(9200), settle));
        assertFalse(capped.settling(), "a waited 10.2 s");
        assertTrue(capped.due(t.plusMillis(9200), LONG));

        // a segment already built does not hold anything back
        tx(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("UPDATE segment SET evaluated_version = definition_version");
            }
            return null;
        });
        assertFalse(tx(c -> ProcessingRuns.due(c, t.plusMillis(8500), settle)).settling());
    }

    private static Void segmentChanged(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO segment (id, name, dataset_id, logic, conditions_json, "
                + "created_at, updated_at) VALUES (?, ?, 'd', 'AND', '[]', ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, id);
            ps.setTimestamp(3, java.sql.Timestamp.from(at));
            ps.setTimestamp(4, java.sql.Timestamp.from(at));
            ps.executeUpdate();
        }
        return null;
    }

    @Test
    void aRunWhoseServerDiedIsLostAtOnceAndItsWorkIsAskedForAgain() throws Exception {
        Server a = server("a");
        var first = tx(c -> ProcessingRuns.claim(c, "test", LONG, a.id()));
        assertTrue(first.started());
        assertEquals(0, count("SELECT count(*) FROM run_request"));

        Server b = server("b");
        assertFalse(holds(c -> ProcessingRuns.claimIfLost(c, LONG)), "a's server lives");
        var meanwhile = tx(c -> ProcessingRuns.claim(c, "test", LONG, b.id()));
        assertFalse(meanwhile.started(), "a's run still runs");

        // a's server dies: its session ends (here: cut off by the database, as on a crash)
        try (Statement st = b.session().createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = "
                    + ServerInstances.LOCK_CLASS + " AND objid = " + a.id());
        }
        assertTrue(holds(c -> ProcessingRuns.claimIfLost(c, LONG)), "lost the moment its server's session is gone");
        assertEquals(RunStatus.FAILED, tx(c -> ProcessingRuns.find(c, first.run().id())).orElseThrow().status());
        assertTrue(tx(c -> ProcessingRuns.find(c, first.run().id())).orElseThrow().error().startsWith("lost: its server"));
        assertEquals(1, count("SELECT count(*) FROM run_request"), "its work is asked for again");
        assertTrue(tx(ProcessingRuns::due).requested());

        var next = tx(c -> ProcessingRuns.claim(c, "test", LONG, b.id()));
        assertTrue(next.started());
        assertNotEquals(first.run().id(), next.run().id());

        // the lost run cannot write any more: its chunk would roll back
        SQLException fenced = refused(() -> tx(c -> {
            ProcessingRuns.progress(c, first.run().id(), 1, 0, 0, 0);
            return null;
        }));
        assertEquals("55000", fenced.getSQLState());
        b.close();
    }

    @Test
    void aLongRunOfALiveServerIsNeverTakenForLost() throws Exception {
        try (Server a = server("a")) {
            var run = tx(c -> ProcessingRuns.claim(c, "test", LONG, a.id()));
            // its heartbeat is as old as can be: no timeout applies while its server holds its lock
            assertFalse(holds(c -> ProcessingRuns.claimIfLost(c, Duration.ZERO)));
            tx(c -> {
                ProcessingRuns.progress(c, run.run().id(), 5, 0, 0, 0);
                return null;
            });
            assertEquals(RunStatus.RUNNING, tx(c -> ProcessingRuns.find(c, run.run().id())).orElseThrow().status());
        }
    }

    @Test
    void aRunRecordedWithoutAnOwnerIsLostWhenItsHeartbeatStops() throws Exception {
        var run = tx(c -> ProcessingRuns.claim(c, "test", LONG, null));
        assertFalse(holds(c -> ProcessingRuns.claimIfLost(c, LONG)));
        assertTrue(holds(c -> ProcessingRuns.claimIfLost(c, Duration.ZERO)));
        assertTrue(tx(c -> ProcessingRuns.find(c, run.run().id())).orElseThrow().error().startsWith("lost: no sign of life"));
    }

    @Test
    void aSyncWhoseServerDiedIsLostAtOnceWithItsSegmentRunsAndDoesNotDelayTheNext() throws Exception {
        Server a = server("a");
        Long batch = tx(c -> SyncBatches.claimBatch(c, "test", LONG, a.id()));
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_run (batch_id, segment_id, transport, status, "
                    + "reason, started_at) VALUES (?, gen_random_uuid()::text, 'google', 'running', 'test', now())")) {
                ps.setLong(1, batch);
                ps.executeUpdate();
            }
            return null;
        });
        assertFalse(holds(c -> SyncBatches.reclaimLost(c, LONG)), "a's server lives");
        assertNull(tx(c -> SyncBatches.claimBatch(c, "test", LONG, null)), "one sync at a time");

        a.close(); // the server's session ends with it
        assertTrue(holds(c -> SyncBatches.reclaimLost(c, LONG)));
        assertEquals(0, count("SELECT count(*) FROM sync_run WHERE status = 'running'"),
                "its segment runs are ended too");
        assertEquals(1, count("SELECT count(*) FROM sync_run WHERE status = 'failed' AND error LIKE 'lost:%'"));
        // the lost sync was started a moment ago, yet it does not count as the last sync: one
        // needed now is due now (here: a job left to finish)
        tx(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO sync_job (sync_run_id, segment_id, user_list, kind, status, created_at, updated_at) "
                        + "SELECT id, segment_id, 'customers/1/userLists/2', 'add', 'created', now(), now() FROM sync_run LIMIT 1");
            }
            return null;
        });
        assertTrue(holds(c -> SyncBatches.due(c, Duration.ofMinutes(5), Duration.ofSeconds(30), LONG, Duration.ofDays(1))));
        SQLException fenced = refused(() -> tx(c -> {
            SyncBatches.heartbeat(c, batch);
            return null;
        }));
        assertEquals("55000", fenced.getSQLState());
    }

    /** The database's refusal behind the unchecked exception that JDBC work ends with. */
    private static SQLException refused(Executable work) {
        IllegalStateException failed = assertThrows(IllegalStateException.class, work);
        return assertInstanceOf(SQLException.class, failed.getCause(), failed.toString());
    }
}
