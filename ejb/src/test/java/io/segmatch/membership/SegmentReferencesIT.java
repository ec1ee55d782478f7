package io.segmatch.membership;

import io.segmatch.membership.store.SegmentStates;
import io.segmatch.segments.store.SegmentReferences;
import io.segmatch.testing.TestDatabase;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store behind segments built from segments, on a real PostgreSQL: who refers to a
 * segment (through groups too), the lock that serialises changes of the graph, and the
 * rebuild set that takes every referring segment along.
 */
class SegmentReferencesIT {

    @BeforeAll
    static void database() {
        MembershipPropertyIT.db = TestDatabase.newDatabase("segment_references");
    }

    static String member(String segment) {
        return "{\"segment\": \"" + segment + "\", \"operator\": \"in\"}";
    }

    static final String GERMAN = "{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"de\"}";

    @Test
    void referrersAreFoundInGroupsAndNeverDeletedOnesNorItself() throws Exception {
        var world = new MembershipPropertyIT.World();
        world.apply(new MembershipPropertyIT.CreateSegment("AND", List.of(GERMAN), false));
        String a = world.segments.get(0);
        world.apply(new MembershipPropertyIT.CreateSegment("OR", List.of(GERMAN,
                "{\"logic\": \"AND\", \"conditions\": [{\"logic\": \"OR\", \"conditions\": [" + member(a) + "]}]}"), false));
        world.apply(new MembershipPropertyIT.CreateSegment("AND", List.of(member(a)), false));
        world.apply(new MembershipPropertyIT.CreateSegment("AND", List.of(GERMAN), false));
        String b = world.segments.get(1);
        String deleted = world.segments.get(2);
        world.update("UPDATE segment SET deleted_at = now() WHERE id = ?", deleted);
        world.update("UPDATE segment SET name = 'B' WHERE id = ?", b);
        assertEquals(List.of(new SegmentReferences.Referrer(b, "B")),
                world.inTransaction(c -> SegmentReferences.referrers(c, a)));
        assertEquals(List.of(), world.inTransaction(c -> SegmentReferences.referrers(c, b)));
        var found = world.inTransaction(c -> SegmentReferences.find(c, b)).orElseThrow();
        assertEquals(List.of("B", world.datasetId, "OR", "2"), List.of(found.name(), found.datasetId(), found.rule().logic(),
                String.valueOf(found.rule().conditions().size())));
        assertTrue(world.inTransaction(c -> SegmentReferences.find(c, deleted)).isEmpty(), "a deleted segment is not found");
    }

    @Test
    void aRebuildTakesEverySegmentThatRefersToTheRebuiltOneAlong() throws Exception {
        var world = new MembershipPropertyIT.World();
        world.apply(new MembershipPropertyIT.CreateSegment("AND", List.of(GERMAN), false));
        String a = world.segments.get(0);
        world.apply(new MembershipPropertyIT.CreateSegment("AND", List.of(
                "{\"logic\": \"OR\", \"conditions\": [" + member(a) + "]}"), false));
        String b = world.segments.get(1);
        world.apply(new MembershipPropertyIT.CreateSegment("AND", List.of(member(b)), false));
        String c = world.segments.get(2);
        world.apply(new MembershipPropertyIT.CreateSegment("AND", List.of(GERMAN), false));
        String unrelated = world.segments.get(3);
        world.update("UPDATE segment SET evaluated_version = definition_version, last_evaluated_at = now() "
                + "WHERE dataset_id = ?", world.datasetId);
        assertEquals(null, world.inTransaction(SegmentStates::needingRebuild).get(world.datasetId), "all caught up");
        world.update("UPDATE segment SET definition_version = definition_version + 1 WHERE id = ?", a);
        assertEquals(Set.of(a, b, c), Set.copyOf(world.inTransaction(SegmentStates::needingRebuild).get(world.datasetId)),
                "A changed: B refers to A, C to B; not " + unrelated);
        world.update("UPDATE segment SET evaluated_version = definition_version WHERE id = ?", a);
        world.update("UPDATE segment SET definition_version = definition_version + 1 WHERE id = ?", b);
        assertEquals(Set.of(b, c), Set.copyOf(world.inTransaction(SegmentStates::needingRebuild).get(world.datasetId)));
        // relative dates due for their hourly evaluation, in a group: the referring segments come along
        world.update("UPDATE segment SET evaluated_version = definition_version WHERE dataset_id = ?", world.datasetId);
        world.update("UPDATE segment SET conditions_json = ?, last_evaluated_at = now() - interval '2 hours' WHERE id = ?",
                "[{\"logic\": \"OR\", \"conditions\": [{\"field\": \"signup\", \"operator\": \"in_last_days\", \"value\": 30}]}]", a);
        assertEquals(Set.of(a, b, c), Set.copyOf(world.inTransaction(SegmentStates::needingRebuild).get(world.datasetId)));
    }

    @Test
    void theGraphLockMakesASecondChangeWaitForTheFirst() throws Exception {
        try (Connection first = MembershipPropertyIT.db.getConnection(); Connection second = MembershipPropertyIT.db.getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            SegmentReferences.lockGraph(first);
            AtomicBoolean locked = new AtomicBoolean();
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try {
                    SegmentReferences.lockGraph(second);
                    locked.set(true);
                    second.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // the second transaction is seen waiting for the lock (not merely not yet started)
            Awaitility.await("the second change waits for the lock").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20)).until(() -> waitersOnTheGraphLock() == 1);
            assertFalse(locked.get(), "it has not got the lock while the first holds it");
            first.commit();
            waiting.get();
            assertTrue(locked.get(), "it got the lock once the first transaction ended");
        }
    }

    static int waitersOnTheGraphLock() throws Exception {
        try (Connection c = MembershipPropertyIT.db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                     + "AND NOT granted AND ((classid::bigint << 32) | objid::bigint) = ?")) {
            ps.setLong(1, SegmentReferences.GRAPH_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
