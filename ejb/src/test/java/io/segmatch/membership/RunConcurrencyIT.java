package io.segmatch.membership;

import io.segmatch.datasets.store.RowStore;
import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.testing.TestDatabase;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs against a real PostgreSQL: late-committing writers, and starts whose transactions overlap. */
class RunConcurrencyIT {

    @BeforeAll
    static void database() {
        MembershipPropertyIT.db = TestDatabase.newDatabase("run_concurrency");
    }

    @ParameterizedTest(name = "bulk minimum {0}")
    @ValueSource(ints = {1, Integer.MAX_VALUE})
    void aLateCommittingWritersChangeIsEvaluatedByTheNextRun(int bulkMinimum) throws Exception {
        var world = new MembershipPropertyIT.World();
        world.apply(new MembershipPropertyIT.CreateSegment("AND",
                List.of("{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"de\"}"), true));
        Map<String, String> k1 = new LinkedHashMap<>();
        k1.put("country", "DE");
        for (String column : List.of("ltv", "plan", "signup", "vip", "email")) {
            k1.put(column, "");
        }
        world.apply(new MembershipPropertyIT.Upload(false, Map.of("k1", k1)));
        try (Connection writer = MembershipPropertyIT.db.getConnection()) {
            writer.setAutoCommit(false);
            // the writer's transaction began before the run and commits after it
            new RowStore().insert(writer, world.datasetId, "late", Map.of("id", "late", "country", "de"), Instant.now());
            world.run(new MembershipPropertyIT.Run(1, -1, false, bulkMinimum));
            assertFalse(world.workLeftIgnoringOthers(), "the run saw everything committed");
            writer.commit();
        }
        assertTrue(world.workLeft(), "the late change is pending");
        world.run(new MembershipPropertyIT.Run(1, -1, false, bulkMinimum));
        assertFalse(world.workLeft());
        world.check();
        assertEquals(Set.of("k1", "late"), world.inTransaction(c -> MembershipPropertyIT.keys(c,
                MembershipPropertyIT.MEMBERS, world.segments.get(0))));
    }

    /**
     * A writer that holds its dataset, as every write of rows does, while a run evaluates the
     * dataset's changes in bulk: the bulk evaluation waits for it (it consumes the changes with
     * no row lock of its own), then evaluates the writer's change in the same run.
     */
    @Test
    void theBulkEvaluationWaitsForAWriterOfItsDatasetAndEvaluatesItsChange() throws Exception {
        var world = new MembershipPropertyIT.World();
        world.apply(new MembershipPropertyIT.CreateSegment("AND",
                List.of("{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"de\"}"), true));
        world.apply(new MembershipPropertyIT.Upload(false, Map.of("k1", row("DE"))));
        world.run(new MembershipPropertyIT.Run(10, -1, false, Integer.MAX_VALUE));
        world.apply(new MembershipPropertyIT.Upload(false, Map.of("k2", row("de"), "k3", row("fr"))));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection writer = MembershipPropertyIT.db.getConnection();
             Connection watcher = MembershipPropertyIT.db.getConnection()) {
            writer.setAutoCommit(false);
            try (var ps = writer.prepareStatement("SELECT 1 FROM dataset WHERE id = ? FOR UPDATE")) {
                ps.setString(1, world.datasetId);
                ps.executeQuery().close();
            }
            new RowStore().insert(writer, world.datasetId, "late", Map.of("id", "late", "country", "de"), Instant.now());
            long before = world.bulkEvaluated;
            Future<?> run = pool.submit(() -> {
                world.run(new MembershipPropertyIT.Run(10, -1, false, 1));
                return null;
            });
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> bulkWaitsForTheDataset(watcher));
            assertFalse(run.isDone(), "the run waits while the writer holds the dataset");
            writer.commit();
            run.get(60, TimeUnit.SECONDS);
            assertEquals(3, world.bulkEvaluated - before, "k2, k3 and the writer's row, all in bulk");
        } finally {
            pool.shutdownNow();
        }
        assertFalse(world.workLeft(), "nothing is left for a later run");
        world.check();
        assertEquals(Set.of("k1", "k2", "late"), world.inTransaction(c -> MembershipPropertyIT.keys(c,
                MembershipPropertyIT.MEMBERS, world.segments.get(0))));
    }

    private static Map<String, String> row(String country) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("country", country);
        for (String column : List.of("ltv", "plan", "signup", "vip", "email")) {
            row.put(column, "");
        }
        return row;
    }

    private static boolean bulkWaitsForTheDataset(Connection watcher) throws SQLException {
        try (var ps = watcher.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = "
                + "current_database() AND wait_event_type = 'Lock' AND query LIKE 'SELECT 1 FROM dataset WHERE id = $1 FOR SHARE%')");
             var rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    void twoStartsAtTheSameMomentStartOneRun() throws Exception {
        var world = new MembershipPropertyIT.World();
        world.run(new MembershipPropertyIT.Run(10, -1, false, Integer.MAX_VALUE)); // nothing running before
        List<ProcessingRuns.Claim> claims = claimTogether(MembershipPropertyIT.db);
        var a = claims.get(0);
        var b = claims.get(1);
        assertEquals(a.run().id(), b.run().id(), "both answer with the same run");
        assertTrue(a.started() ^ b.started(), "exactly one of them started it");
        world.inTransaction(c -> {
            ProcessingRuns.finish(c, a.run().id(), null);
            return null;
        });
    }

    /** The harness above is not lucky: without the unique index on the running run, both claims start one. */
    @Test
    void withoutTheUniqueIndexBothOverlappingClaimsWouldStartARun() throws Exception {
        DataSource db = TestDatabase.newDatabase("run_concurrency_no_index");
        try (Connection c = db.getConnection(); var s = c.createStatement()) {
            s.execute("DROP INDEX processing_run_one_running");
        }
        List<ProcessingRuns.Claim> claims = claimTogether(db);
        assertTrue(claims.get(0).started() && claims.get(1).started(),
                "both claims ran their INSERT while the other's was uncommitted");
        assertFalse(claims.get(0).run().id() == claims.get(1).run().id());
    }

    /**
     * Two claims whose transactions overlap for certain: each claims, then commits only once the
     * other has claimed too, or is waiting for a lock (the other's uncommitted run in the unique
     * index). Without the overlap, a claim could commit before the other one starts, and the
     * test would pass even without the index.
     */
    static List<ProcessingRuns.Claim> claimTogether(DataSource db) throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        int[] pids = new int[2];
        AtomicBoolean[] claimed = {
                new AtomicBoolean(), new AtomicBoolean()};
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ProcessingRuns.Claim>> claims = pool.invokeAll(List.of(
                    () -> claim(db, 0, pids, claimed, together), () -> claim(db, 1, pids, claimed, together)));
            return List.of(claims.get(0).get(), claims.get(1).get());
        } finally {
            pool.shutdown();
        }
    }

    private static ProcessingRuns.Claim claim(DataSource db, int me, int[] pids,
                                              AtomicBoolean[] claimed,
                                              CyclicBarrier together) throws Exception {
        int other = 1 - me;
        try (Connection c = db.getConnection(); Connection watcher = db.getConnection()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pids[me] = rs.getInt(1);
            }
            together.await();
            var claim = ProcessingRuns.claim(c, "test", Duration.ofMinutes(3));
            claimed[me].set(true);
            // commit only once the other claim is under way too: done, or blocked by this one's row
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> claimed[other].get() || waitsForALock(watcher, pids[other]));
            c.commit();
            return claim;
        }
    }

    private static boolean waitsForALock(Connection watcher, int pid) throws SQLException {
        try (var ps = watcher.prepareStatement("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (var rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
