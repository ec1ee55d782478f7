package io.segmatch.membership.store;

import io.segmatch.datasets.store.PendingChanges;
import io.segmatch.datasets.store.TypedRows;
import io.segmatch.membership.evaluation.SegmentRule;
import io.segmatch.shared.error.RootCause;
import io.segmatch.shared.store.Transactions;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The steps of a processing run that work on whole segments, a dataset's segments in one
 * pass and one transaction: deleted segments retire, changed segments are rebuilt. The incremental step
 * (pending changes, in chunks) is the batch job's chunk step.
 */
public final class RunSteps {

    private RunSteps() {
    }

    /**
     * Records the exits of every deleted segment's members, dataset by dataset, each in a
     * transaction of its own; returns the segments retired.
     */
    public static Set<String> retire(Transactions tx, long runId) throws Exception {
        return retire(tx, runId, WriteSizes.DEFAULT);
    }

    /** {@link #retire(Transactions, long)} with writes cut by {@code sizes}. */
    public static Set<String> retire(Transactions tx, long runId, WriteSizes sizes) throws Exception {
        Set<String> retired = new HashSet<>();
        Set<String> datasets = new TreeSet<>();
        tx.run(c -> SegmentStates.retiring(c, null)).forEach(r -> datasets.add(r.datasetId()));
        for (String datasetId : datasets) {
            retired.addAll(tx.run(c -> {
                // locked until this transaction ends; another run's retirement of them waits, then finds none
                List<SegmentRebuilds.Retiring> retiring = SegmentStates.retiring(c, datasetId);
                if (retiring.isEmpty()) {
                    return Set.<String>of();
                }
                var done = SegmentRebuilds.rebuild(c, runId, datasetId, List.of(), retiring, Instant.now(), sizes);
                ProcessingRuns.progress(c, runId, 0, 0, 0, done.values().stream().mapToLong(SegmentRebuilds.Rebuilt::exited).sum());
                return done.keySet();
            }));
        }
        return retired;
    }

    /**
     * Rebuilds every segment whose definition changed (or whose relative dates went stale),
     * all those of one dataset in one pass over its rows and one transaction; if that fails,
     * they are marked failed with the error and the other datasets go on. Returns the ids of
     * the segments rebuilt.
     */
    public static Set<String> rebuild(Transactions tx, long runId) throws Exception {
        return rebuild(tx, runId, WriteSizes.DEFAULT);
    }

    /** {@link #rebuild(Transactions, long)} with writes cut by {@code sizes}. */
    public static Set<String> rebuild(Transactions tx, long runId, WriteSizes sizes) throws Exception {
        return rebuild(tx, runId, sizes, Duration.ZERO);
    }

    /**
     * {@link #rebuild(Transactions, long, WriteSizes)}; segments whose definition changed are left
     * to the next run while they settle ({@code settle}: ProcessingRuns.settling).
     */
    public static Set<String> rebuild(Transactions tx, long runId, WriteSizes sizes, Duration settle) throws Exception {
        Set<String> rebuilt = new HashSet<>();
        // typed tables missing (an upgrade) or left behind by a change of columns: built first,
        // each with its dataset locked against writes, so that rebuilds and previews read them
        for (String datasetId : tx.run(TypedRows::stale)) {
            tx.run(c -> TypedRows.ensureLocked(c, datasetId));
        }
        // changes to datasets none of whose segments is up to date need no incremental
        // evaluation: every segment of theirs is rebuilt below, over rows at least as new
        tx.run(c -> {
            long settled = SegmentStates.settleUnevaluated(c, runId);
            ProcessingRuns.progress(c, runId, settled, 0, 0, 0);
            return null;
        });
        Map<String, List<String>> byDataset = tx.run(c -> SegmentStates.needingRebuild(c,
                ProcessingRuns.settling(c, Instant.now(), settle)));
        for (var entry : byDataset.entrySet()) {
            String datasetId = entry.getKey();
            Set<String> ids = new HashSet<>(entry.getValue());
            tx.run(c -> {
                for (String id : ids) {
                    SegmentStates.evaluating(c, id);
                }
                return null;
            });
            try {
                rebuilt.addAll(tx.run(c -> {
                    // read in this transaction: a segment deleted meanwhile is left to the retirement
                    List<SegmentRule> segments = LiveSegments.ofDataset(c, datasetId).stream()
                            .filter(s -> ids.contains(s.segmentId())).toList();
                    if (segments.isEmpty()) {
                        return Set.<String>of();
                    }
                    var done = SegmentRebuilds.rebuild(c, runId, datasetId, segments, List.of(), Instant.now(), sizes);
                    ProcessingRuns.progress(c, runId, 0, segments.size(),
                            done.values().stream().mapToLong(SegmentRebuilds.Rebuilt::entered).sum(),
                            done.values().stream().mapToLong(SegmentRebuilds.Rebuilt::exited).sum());
                    return done.keySet();
                }));
            } catch (Exception e) {
                String error = "the rebuild failed: " + RootCause.message(e);
                tx.run(c -> {
                    for (String id : ids) {
                        SegmentStates.failed(c, id, error);
                    }
                    return null;
                });
            }
        }
        return rebuilt;
    }

    /**
     * Evaluates the pending changes of each dataset that has at least {@code minimum} of them
     * all at once ({@link BulkChanges}), one transaction per dataset; the chunk step takes
     * the rest. {@code datasets} receives the datasets evaluated, {@code activated} the
     * activated segments met. Returns how many changes were applied.
     */
    public static long bulk(Transactions tx, long runId, long minimum, Set<String> datasets, Set<String> activated)
            throws Exception {
        return bulk(tx, runId, minimum, datasets, activated, WriteSizes.DEFAULT);
    }

    /** {@link #bulk(Transactions, long, long, Set, Set)} with writes cut by {@code sizes}. */
    public static long bulk(Transactions tx, long runId, long minimum, Set<String> datasets, Set<String> activated,
                            WriteSizes sizes) throws Exception {
        return bulk(tx, runId, minimum, datasets, activated, sizes, BulkChanges.LOOKUP_SHARE);
    }

    /** {@link #bulk(Transactions, long, long, Set, Set, WriteSizes)}, claims looked up by key up to {@code lookupShare} of the rows. */
    public static long bulk(Transactions tx, long runId, long minimum, Set<String> datasets, Set<String> activated,
                            WriteSizes sizes, double lookupShare) throws Exception {
        long total = 0;
        for (String datasetId : tx.run(c -> BulkChanges.candidates(c, minimum))) {
            long applied = tx.run(c -> {
                var done = BulkChanges.evaluate(c, runId, datasetId, Instant.now(), activated, sizes, lookupShare);
                if (done.isEmpty()) {
                    return 0L;
                }
                ProcessingRuns.progress(c, runId, done.get().rows(), 0, done.get().entered(), done.get().exited());
                return done.get().rows();
            });
            if (applied > 0) {
                datasets.add(datasetId);
                total += applied;
            }
        }
        return total;
    }

    /**
     * Ends a run: segments caught up become live, the run completes (or fails with the
     * error). {@code rebuilt} holds the segments rebuilt or retired.
     */
    public static void finish(Transactions tx, long runId, Set<String> datasetsEvaluated, Set<String> rebuilt,
                              String error) throws Exception {
        tx.run(c -> {
            Set<String> datasets = new HashSet<>(datasetsEvaluated);
            if (!rebuilt.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT dataset_id FROM segment WHERE id = ANY(?::text[])")) {
                    ps.setArray(1, c.createArrayOf("text", rebuilt.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            datasets.add(rs.getString(1));
                        }
                    }
                }
            }
            if (error == null) {
                SegmentStates.caughtUp(c, datasets, Instant.now());
            }
            // segments evaluated: those rebuilt, and the live segments of the datasets whose changes were evaluated
            try (PreparedStatement ps = c.prepareStatement("UPDATE processing_run SET segments_evaluated = "
                    + "(SELECT count(*) FROM segment WHERE id = ANY(?::text[]) OR deleted_at IS NULL AND dataset_id = ANY(?::text[])) "
                    + "WHERE id = ?")) {
                ps.setArray(1, c.createArrayOf("text", rebuilt.toArray()));
                ps.setArray(2, c.createArrayOf("text", datasetsEvaluated.toArray()));
                ps.setLong(3, runId);
                ps.executeUpdate();
            }
            // each statement that wrote or consumed changes left a row in the count: one again
            PendingChanges.foldCount(c);
            ProcessingRuns.finish(c, runId, error);
            return null;
        });
    }
}
