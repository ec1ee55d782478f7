package io.segmatch.membership.store;

import io.segmatch.activation.store.Destination;
import io.segmatch.datasets.store.PendingChanges;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a processing run must do to whole segments, and the states a segment passes through
 * around it: the deleted segments to retire and the changed ones to rebuild, the pending
 * changes that need no incremental evaluation (their dataset has no up-to-date segment),
 * and a segment marked evaluating, failed or live again. The rebuilds themselves are
 * {@link SegmentRebuilds}.
 */
public final class SegmentStates {

    private SegmentStates() {
    }

    /**
     * Deleted segments (of one dataset, or all when null) whose members have not left yet,
     * locked until the transaction ends.
     */
    public static List<SegmentRebuilds.Retiring> retiring(Connection c, String datasetId) throws SQLException {
        List<SegmentRebuilds.Retiring> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, dataset_id, number, activation_json, definition_version "
                + "FROM segment WHERE deleted_at IS NOT NULL AND evaluated_version < definition_version "
                + (datasetId == null ? "" : "AND dataset_id = ? ") + "ORDER BY deleted_at, id FOR UPDATE")) {
            if (datasetId != null) {
                ps.setString(1, datasetId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new SegmentRebuilds.Retiring(rs.getString(1), rs.getString(2), rs.getInt(3),
                            LiveSegments.activated(rs.getString(4)), rs.getLong(5)));
                }
            }
        }
        return found;
    }

    /**
     * Segments a run must rebuild, by dataset: their definition changed since they were
     * evaluated, or they hold an {@code in_last_days} condition and were last evaluated over
     * an hour ago; and every segment that refers to one of those (directly or through
     * another): its rule reads theirs, so its members move with them, in the same run.
     */
    public static Map<String, List<String>> needingRebuild(Connection c) throws SQLException {
        return needingRebuild(c, false);
    }

    /**
     * {@link #needingRebuild(Connection)}, leaving out the segments whose definition changed when
     * {@code settling} (ProcessingRuns.settling): the run after this one builds them together.
     */
    public static Map<String, List<String>> needingRebuild(Connection c, boolean settling) throws SQLException {
        Map<String, List<String>> byDataset = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE stale(id, dataset_id) AS ("
                + "SELECT id, dataset_id FROM segment WHERE deleted_at IS NULL AND (" + STALE + ") "
                + (settling ? "AND definition_version <= evaluated_version " : "")
                + "UNION SELECT s.id, s.dataset_id FROM segment s JOIN stale ON s.dataset_id = stale.dataset_id "
                + "WHERE s.deleted_at IS NULL AND jsonb_path_exists(s.conditions_json::jsonb, '$.** ? (@.segment == $id)', "
                + "jsonb_build_object('id', stale.id))) "
                + "SELECT s.dataset_id, s.id FROM segment s WHERE s.id IN (SELECT id FROM stale) ORDER BY s.created_at, s.id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byDataset.computeIfAbsent(rs.getString(1), d -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return byDataset;
    }

    /** The SQL condition that the dataset {@code %s} has no up-to-date live segment. */
    private static final String NOTHING_UP_TO_DATE = "NOT EXISTS (SELECT 1 FROM segment s WHERE s.dataset_id = %s "
            + "AND s.deleted_at IS NULL AND s.definition_version = s.evaluated_version)";

    /**
     * Consumes the pending changes of datasets that have no up-to-date live segment (none at
     * all, or only segments waiting for a rebuild): there is nothing to evaluate them against
     * incrementally, and a rebuild that starts after this statement covers them. A rebuild
     * queues only enters and exits, so the consumed keys go to the activation queue of the
     * dataset's activated segments as updates (a member's identifiers may have changed).
     * Returns how many were consumed.
     */
    public static long settleUnevaluated(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
            ps.setLong(1, LiveSegments.ACTIVATION_LOCK);
            ps.execute();
        }
        // the datasets first (a walk down the changes' key index): usually none qualifies, and
        // the changes, a million after a big upload, are then not read at all
        List<String> unevaluated = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT d.id FROM unnest(?::text[]) AS d(id) WHERE "
                + String.format(NOTHING_UP_TO_DATE, "d.id"))) {
            ps.setArray(1, c.createArrayOf("text", PendingChanges.datasets(c).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unevaluated.add(rs.getString(1));
                }
            }
        }
        if (unevaluated.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("WITH gone AS (DELETE FROM pending_change p "
                + "WHERE p.dataset_id = ANY(?::text[]) AND " + String.format(NOTHING_UP_TO_DATE, "p.dataset_id")
                + " RETURNING p.dataset_id, p.row_key), "
                + "queued AS (INSERT INTO activation_queue (segment_id, destination, change, queued_at, run_id, row_keys) "
                + "SELECT s.id, d.name, 'update', now(), ?, array_agg(g.row_key) FROM (SELECT dataset_id, row_key, "
                + "(row_number() OVER (PARTITION BY dataset_id ORDER BY row_key) - 1) / 10000 AS b FROM gone) g "
                + "JOIN segment s ON s.dataset_id = g.dataset_id AND s.deleted_at IS NULL "
                + "JOIN " + Destination.TABLE_SQL + " ON " + Destination.ENABLED_SQL + " "
                + "GROUP BY s.id, d.name, g.b RETURNING 1) "
                + "SELECT count(*) FROM gone")) {
            ps.setArray(1, c.createArrayOf("text", unevaluated.toArray()));
            ps.setLong(2, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The SQL condition (over {@code segment}) of a segment that needs a rebuild. */
    public static final String STALE = "definition_version > evaluated_version OR (jsonb_path_exists(conditions_json::jsonb, "
            + "'$.** ? (@.operator == \"in_last_days\")') AND (last_evaluated_at IS NULL "
            + "OR last_evaluated_at < now() - interval '1 hour'))";

    /** Marks a segment as being rebuilt (committed on its own, so that the API shows it). */
    public static void evaluating(Connection c, String segmentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE segment SET status = 'evaluating' WHERE id = ? "
                + "AND definition_version > evaluated_version")) {
            ps.setString(1, segmentId);
            ps.executeUpdate();
        }
    }

    /** Records a failed rebuild on the segment. */
    public static void failed(Connection c, String segmentId, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE segment SET status = 'failed', error = ? WHERE id = ?")) {
            ps.setString(1, error);
            ps.setString(2, segmentId);
            ps.executeUpdate();
        }
    }

    /**
     * At the end of a run: every live segment of the datasets it evaluated that is caught up
     * with its definition is live, evaluated now.
     */
    public static void caughtUp(Connection c, Set<String> datasetIds, Instant now) throws SQLException {
        if (datasetIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE segment SET status = 'live', error = NULL, "
                + "last_evaluated_at = ? WHERE deleted_at IS NULL AND dataset_id = ANY(?::text[]) "
                + "AND definition_version = evaluated_version AND status <> 'failed'")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setArray(2, c.createArrayOf("text", datasetIds.toArray()));
            ps.executeUpdate();
        }
    }
}
