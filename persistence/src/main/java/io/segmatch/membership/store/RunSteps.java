package io.segmatch.membership.store;

import io.segmatch.membership.evaluation.SegmentRule;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The steps of a processing run that work segment by segment, each segment in a transaction
 * of its own: deleted segments retire, changed segments are rebuilt. The incremental step
 * (pending changes, in chunks) is the batch job's chunk step.
 */
public final class RunSteps {

    private RunSteps() {
    }

    /** Records the exits of every deleted segment's members; returns the segments retired. */
    public static Set<String> retire(Transactions tx, long runId) throws Exception {
        Set<String> retired = new HashSet<>();
        for (String id : tx.run(SegmentRebuilds::needingRetirement)) {
            int done = tx.run(c -> {
                String activation;
                long version;
                try (PreparedStatement ps = c.prepareStatement("SELECT activation_json, definition_version FROM segment "
                        + "WHERE id = ? AND deleted_at IS NOT NULL AND evaluated_version < definition_version FOR UPDATE")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return 0;
                        }
                        activation = rs.getString(1);
                        version = rs.getLong(2);
                    }
                }
                long exited = SegmentRebuilds.retire(c, runId, id, LiveSegments.activated(activation), version, Instant.now());
                ProcessingRuns.progress(c, runId, 0, 0, 0, exited);
                return 1;
            });
            if (done == 1) {
                retired.add(id);
            }
        }
        return retired;
    }

    /**
     * Rebuilds every segment whose definition changed (or whose relative dates went stale);
     * a segment that fails is marked failed with the error and the others go on. Returns the
     * ids of the segments rebuilt.
     */
    public static Set<String> rebuild(Transactions tx, long runId) throws Exception {
        Set<String> rebuilt = new HashSet<>();
        // changes to datasets none of whose segments is up to date need no incremental
        // evaluation: every segment of theirs is rebuilt below, over rows at least as new
        tx.run(c -> {
            long settled = SegmentRebuilds.settleUnevaluated(c);
            ProcessingRuns.progress(c, runId, settled, 0, 0, 0);
            return null;
        });
        List<String> ids = tx.run(SegmentRebuilds::needingRebuild);
        for (String id : ids) {
            tx.run(c -> {
                SegmentRebuilds.evaluating(c, id);
                return null;
            });
            try {
                Boolean done = tx.run(c -> {
                    SegmentRule segment = LiveSegments.one(c, id);
                    if (segment == null) {
                        return false;
                    }
                    var r = SegmentRebuilds.rebuild(c, runId, segment, Instant.now());
                    ProcessingRuns.progress(c, runId, 0, 1, r.entered(), r.exited());
                    return true;
                });
                if (done) {
                    rebuilt.add(id);
                }
            } catch (Exception e) {
                String error = "the rebuild failed: " + message(e);
                tx.run(c -> {
                    SegmentRebuilds.failed(c, id, error);
                    return null;
                });
            }
        }
        return rebuilt;
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
                SegmentRebuilds.caughtUp(c, datasets, Instant.now());
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
            ProcessingRuns.finish(c, runId, error);
            return null;
        });
    }

    static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }
}
