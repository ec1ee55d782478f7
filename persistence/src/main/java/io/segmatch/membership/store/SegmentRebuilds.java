package io.segmatch.membership.store;

import io.segmatch.membership.evaluation.SegmentRule;
import io.segmatch.segments.evaluation.RuleSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whole-segment work of a processing run, each meant for a transaction of its own: rebuilding
 * a segment by set difference, retiring a deleted one, and the segment states around them.
 * Every enter and exit goes to the log with the run, and to the activation queue when the
 * segment is activated, in the same transaction.
 */
public final class SegmentRebuilds {

    private SegmentRebuilds() {
    }

    /** What a rebuild changed. */
    public record Rebuilt(long members, long entered, long exited) {
    }

    /**
     * Re-evaluates a segment over its whole dataset and moves its members by set difference:
     * rows that match and are not members enter, members that no longer match (or whose row
     * is gone) exit; members that stay keep their {@code since}. Then the segment is live at
     * the version evaluated. Run it in its own transaction.
     */
    public static Rebuilt rebuild(Connection c, long runId, SegmentRule segment, Instant now) throws SQLException {
        RuleSql.Predicate where = RuleSql.where(segment.rule(), now);
        String sql = "WITH matching AS MATERIALIZED (SELECT r.row_key FROM dataset_row r WHERE r.dataset_id = ? AND "
                + where.sql() + "), "
                + "present AS MATERIALIZED (SELECT row_key FROM segment_member WHERE segment_id = ?), "
                + "entered AS (INSERT INTO segment_member (segment_id, row_key, since) SELECT ?, m.row_key, ? FROM matching m "
                + "WHERE NOT EXISTS (SELECT 1 FROM present x WHERE x.row_key = m.row_key) RETURNING row_key), "
                + "exited AS (DELETE FROM segment_member sm USING present x WHERE sm.segment_id = ? AND sm.row_key = x.row_key "
                + "AND NOT EXISTS (SELECT 1 FROM matching m WHERE m.row_key = x.row_key) RETURNING sm.row_key), "
                + "changes AS (SELECT row_key, 'enter' AS change FROM entered UNION ALL SELECT row_key, 'exit' FROM exited), "
                + "logged AS (INSERT INTO membership_change (segment_id, row_key, change, at, run_id) "
                + "SELECT ?, row_key, change, ?, ? FROM changes), "
                + "queued AS (INSERT INTO activation_queue (segment_id, row_key, change, queued_at, run_id) "
                + "SELECT ?, row_key, CASE change WHEN 'enter' THEN 'add' ELSE 'remove' END, ?, ? FROM changes WHERE ?) "
                + "SELECT (SELECT count(*) FROM matching), (SELECT count(*) FROM entered), (SELECT count(*) FROM exited)";
        Timestamp at = Timestamp.from(now);
        long members;
        long entered;
        long exited;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, segment.datasetId());
            int i = where.bind(c, ps, 2);
            ps.setString(i++, segment.segmentId());
            ps.setString(i++, segment.segmentId());
            ps.setTimestamp(i++, at);
            ps.setString(i++, segment.segmentId());
            ps.setString(i++, segment.segmentId());
            ps.setTimestamp(i++, at);
            ps.setLong(i++, runId);
            ps.setString(i++, segment.segmentId());
            ps.setTimestamp(i++, at);
            ps.setLong(i++, runId);
            ps.setBoolean(i, segment.activated());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                members = rs.getLong(1);
                entered = rs.getLong(2);
                exited = rs.getLong(3);
            }
        }
        // edited meanwhile: the members follow the version evaluated, and the next run rebuilds
        try (PreparedStatement ps = c.prepareStatement("UPDATE segment SET member_count = ?, evaluated_version = ?, "
                + "status = CASE WHEN definition_version = ? THEN 'live' ELSE 'pending' END, error = NULL, "
                + "last_evaluated_at = ? WHERE id = ?")) {
            ps.setLong(1, members);
            ps.setLong(2, segment.definitionVersion());
            ps.setLong(3, segment.definitionVersion());
            ps.setTimestamp(4, at);
            ps.setString(5, segment.segmentId());
            ps.executeUpdate();
        }
        ProcessingRuns.segmentMoved(c, segment.segmentId(), runId, entered, exited);
        return new Rebuilt(members, entered, exited);
    }

    /**
     * A deleted segment's members exit (logged, and queued for removal when it was activated);
     * the tombstone then records that it has been retired. Run it in its own transaction.
     */
    public static long retire(Connection c, long runId, String segmentId, boolean activated, long version, Instant now)
            throws SQLException {
        String sql = "WITH exited AS (DELETE FROM segment_member WHERE segment_id = ? RETURNING row_key), "
                + "logged AS (INSERT INTO membership_change (segment_id, row_key, change, at, run_id) "
                + "SELECT ?, row_key, 'exit', ?, ? FROM exited), "
                + "queued AS (INSERT INTO activation_queue (segment_id, row_key, change, queued_at, run_id) "
                + "SELECT ?, row_key, 'remove', ?, ? FROM exited WHERE ?) "
                + "SELECT count(*) FROM exited";
        Timestamp at = Timestamp.from(now);
        long exited;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, segmentId);
            ps.setString(2, segmentId);
            ps.setTimestamp(3, at);
            ps.setLong(4, runId);
            ps.setString(5, segmentId);
            ps.setTimestamp(6, at);
            ps.setLong(7, runId);
            ps.setBoolean(8, activated);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                exited = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE segment SET member_count = 0, evaluated_version = ? WHERE id = ?")) {
            ps.setLong(1, version);
            ps.setString(2, segmentId);
            ps.executeUpdate();
        }
        ProcessingRuns.segmentMoved(c, segmentId, runId, 0, exited);
        return exited;
    }

    /**
     * Segments a run must rebuild: their definition changed since they were evaluated, or
     * they hold an {@code in_last_days} condition and were last evaluated over an hour ago.
     */
    public static List<String> needingRebuild(Connection c) throws SQLException {
        return ids(c, "SELECT id FROM segment WHERE deleted_at IS NULL AND (" + STALE + ") ORDER BY created_at, id");
    }

    /**
     * Consumes the pending changes of datasets that have no up-to-date live segment (none at
     * all, or only segments waiting for a rebuild): there is nothing to evaluate them against
     * incrementally, and a rebuild that starts after this statement covers them. Returns how
     * many were consumed.
     */
    public static long settleUnevaluated(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM pending_change p WHERE NOT EXISTS (SELECT 1 FROM segment s "
                + "WHERE s.dataset_id = p.dataset_id AND s.deleted_at IS NULL AND s.definition_version = s.evaluated_version)")) {
            return ps.executeUpdate();
        }
    }

    /** Deleted segments whose members have not left yet. */
    public static List<String> needingRetirement(Connection c) throws SQLException {
        return ids(c, "SELECT id FROM segment WHERE deleted_at IS NOT NULL AND evaluated_version < definition_version "
                + "ORDER BY deleted_at, id");
    }

    /** The SQL condition (over {@code segment}) of a segment that needs a rebuild. */
    public static final String STALE = "definition_version > evaluated_version OR (conditions_json::jsonb @> "
            + "'[{\"operator\": \"in_last_days\"}]' AND (last_evaluated_at IS NULL "
            + "OR last_evaluated_at < now() - interval '1 hour'))";

    private static List<String> ids(Connection c, String sql) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

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
