package io.segmatch.membership;

import io.segmatch.datasets.store.RowStore;
import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs against a real PostgreSQL: late-committing writers, and starts at the same moment. */
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
        Map<String, String> k1 = new java.util.LinkedHashMap<>();
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
        assertEquals(java.util.Set.of("k1", "late"), world.inTransaction(c -> MembershipPropertyIT.keys(c,
                MembershipPropertyIT.MEMBERS, world.segments.get(0))));
    }

    @Test
    void twoStartsAtTheSameMomentStartOneRun() throws Exception {
        var world = new MembershipPropertyIT.World();
        world.run(new MembershipPropertyIT.Run(10, -1, false, Integer.MAX_VALUE)); // nothing running before
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ProcessingRuns.Claim>> claims = pool.invokeAll(List.of(
                    () -> claim(together), () -> claim(together)));
            var a = claims.get(0).get();
            var b = claims.get(1).get();
            assertEquals(a.run().id(), b.run().id(), "both answer with the same run");
            assertTrue(a.started() ^ b.started(), "exactly one of them started it");
            world.inTransaction(c -> {
                ProcessingRuns.finish(c, a.run().id(), null);
                return null;
            });
        } finally {
            pool.shutdown();
        }
    }

    static ProcessingRuns.Claim claim(CyclicBarrier together) throws Exception {
        try (Connection c = MembershipPropertyIT.db.getConnection()) {
            c.setAutoCommit(false);
            together.await();
            var claim = ProcessingRuns.claim(c, "test", Duration.ofMinutes(3));
            c.commit();
            return claim;
        }
    }
}
