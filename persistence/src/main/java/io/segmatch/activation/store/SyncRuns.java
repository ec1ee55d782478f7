package io.segmatch.activation.store;

import io.segmatch.shared.store.ServerInstances;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sync runs (one per segment, destination and sync) and sync batches (one sync of every activated segment). */
public final class SyncRuns {

    private SyncRuns() {
    }

    /**
     * A segment's sync to one destination as the API reports it.
     *
     * @param invalidEntries rows the destination reported it could not use (Meta), a count
     * @param invalidSamples up to 100 of them as the destination showed them (JSON object), or null
     */
    public record Run(long id, String segmentId, Destination destination, SyncStatus status, Instant startedAt,
                      Instant endedAt, String userList, long plannedAdds, long plannedRemoves, long sent, long added,
                      long removed, long rejected, long skipped, String rejectedCodes, Long listSize, Integer matchRate,
                      String requestIds, String error, List<SyncJobs.Job> jobs, PlanFigures plan, long invalidEntries,
                      String invalidSamples) {
    }

    private static final String DESTINATIONS = Destination.TABLE_SQL;
    private static final String ENABLED = Destination.ENABLED_SQL;

    /** How a run planned: "full" or "changes", the people it looked at, its time in milliseconds. */
    public record PlanFigures(String scope, long examined, long millis) {
    }

    /** Claims the one running batch; null if another is running. Commit before starting the job. */
    public static Long claimBatch(Connection c, String reason, Duration lostAfter) throws SQLException {
        return claimBatch(c, reason, lostAfter, null);
    }

    /** {@link #claimBatch(Connection, String, java.time.Duration)} by the server instance {@code owner}. */
    public static Long claimBatch(Connection c, String reason, Duration lostAfter, Integer owner) throws SQLException {
        reclaimLost(c, lostAfter);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_batch (status, reason, started_at, heartbeat_at, owner) "
                + "VALUES ('running', ?, now(), now(), ?) ON CONFLICT DO NOTHING RETURNING id")) {
            ps.setString(1, reason);
            ps.setObject(2, owner, Types.INTEGER);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** When the newest completed sync ended, if any did. */
    public static Optional<Instant> lastCompleted(Connection c) throws SQLException {
        try (var ps = c.prepareStatement("SELECT max(ended_at) FROM sync_batch WHERE status = 'completed'");
             var rs = ps.executeQuery()) {
            return rs.next() && rs.getTimestamp(1) != null ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
        }
    }

    /** When the newest completed sync run to a destination ended, if any did. */
    public static Optional<Instant> lastCompleted(Connection c, Destination destination) throws SQLException {
        try (var ps = c.prepareStatement("SELECT max(ended_at) FROM sync_run WHERE destination = ? AND status = 'completed'")) {
            ps.setString(1, destination.apiName());
            try (var rs = ps.executeQuery()) {
                return rs.next() && rs.getTimestamp(1) != null ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }

    /**
     * Records the running batch, and its segments' runs, as failed when its server is gone (at
     * once) or its heartbeat is older than {@code lostAfter}. Its jobs stay as they are: the next
     * sync goes on with them (sends what was not sent, runs or confirms them). Returns whether
     * a batch was lost.
     */
    public static boolean reclaimLost(Connection c, Duration lostAfter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH lost AS (UPDATE sync_batch SET status = 'failed', ended_at = now(), "
                + "error = CASE WHEN heartbeat_at < now() - ?::interval THEN 'lost: no sign of life since ' || heartbeat_at "
                + "  ELSE 'lost: its server stopped' END "
                + "WHERE status = 'running' AND (" + ServerInstances.ownerGone("owner")
                + "  OR heartbeat_at < now() - ?::interval) RETURNING id, error), "
                + "runs AS (UPDATE sync_run r SET status = 'failed', ended_at = now(), error = lost.error "
                + "  FROM lost WHERE r.batch_id = lost.id AND r.status = 'running' RETURNING r.id) "
                + "SELECT count(*) FROM lost")) {
            ps.setString(1, lostAfter.toMillis() + " milliseconds");
            ps.setString(2, lostAfter.toMillis() + " milliseconds");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /**
     * Renews the batch's heartbeat; fails when the batch is no longer running (taken for lost:
     * another sync may be working on its segments), so that this one stops.
     */
    public static void heartbeat(Connection c, long batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_batch SET heartbeat_at = now() WHERE id = ? AND status = 'running'")) {
            ps.setLong(1, batchId);
            if (ps.executeUpdate() == 0) {
                throw new SQLException("sync " + batchId + " is no longer running (taken for lost): it stops", "55000");
            }
        }
    }

    public static void finishBatch(Connection c, long batchId, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_batch SET status = ?, ended_at = now(), error = ? "
                + "WHERE id = ? AND status = 'running'")) {
            ps.setString(1, (error == null ? SyncStatus.COMPLETED : SyncStatus.FAILED).apiName());
            ps.setString(2, error);
            ps.setLong(3, batchId);
            ps.executeUpdate();
        }
    }

    /**
     * Whether a sync is due: none ran for {@code interval} and there is work — an activated
     * segment never synced or whose members changed (the activation queue), rows of its
     * dataset written since its last sync, a job Google is still running, a deleted segment
     * whose members Google still holds, members due to be added again, or a full plan owed
     * (no plan yet, activation settings changed since the last, or the last full plan older
     * than {@code fullPlanEvery}); or a job is still running at the platform and none ran for
     * {@code pollEvery} (so that its report follows the platform within that, not at the next
     * interval). A request for a sync (the API) is due at once.
     */
    public static boolean due(Connection c, Duration interval, Duration pollEvery, Duration lostAfter,
                              Duration fullPlanEvery) throws SQLException {
        // a running batch whose server is gone is not running; a lost batch does not count as the last sync
        boolean poll;
        try (PreparedStatement ps = c.prepareStatement("WITH last AS (SELECT coalesce((SELECT max(started_at) FROM sync_batch "
                + "WHERE status <> 'running' AND coalesce(error, '') NOT LIKE 'lost:%'), '-infinity') AS at) "
                + "SELECT NOT EXISTS (SELECT 1 FROM sync_batch WHERE status = 'running' "
                + "AND heartbeat_at >= now() - ?::interval AND NOT " + ServerInstances.ownerGone("owner") + "), "
                + "(SELECT at FROM last) < now() - ?::interval, "
                + "(SELECT at FROM last) < now() - ?::interval AND EXISTS (SELECT 1 FROM sync_job WHERE status = 'running') "
                + "FROM last")) {
            ps.setString(1, lostAfter.toMillis() + " milliseconds");
            ps.setString(2, interval.toMillis() + " milliseconds");
            ps.setString(3, pollEvery.toMillis() + " milliseconds");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return false;
                }
                if (rs.getBoolean(3)) {
                    return true;
                }
                if (!rs.getBoolean(2)) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM sync_job WHERE status IN ('new', 'created', 'running')) "
                + "OR EXISTS (SELECT 1 FROM activation_queue q JOIN segment s ON s.id = q.segment_id "
                + "  JOIN " + DESTINATIONS + " ON d.name = q.destination WHERE s.deleted_at IS NULL AND " + ENABLED + ") "
                + "OR EXISTS (SELECT 1 FROM segment s CROSS JOIN " + DESTINATIONS + " WHERE " + ENABLED + " AND s.deleted_at IS NULL "
                + "  AND (s.last_synced_at IS NULL OR EXISTS (SELECT 1 FROM dataset x WHERE x.id = s.dataset_id AND x.updated_at > s.last_synced_at))) "
                + "OR EXISTS (SELECT 1 FROM segment s WHERE deleted_at IS NOT NULL AND EXISTS (SELECT 1 FROM activation_set v "
                + "  JOIN activation_member a ON a.set_id = v.id WHERE v.segment_id = s.id)) "
                + "OR EXISTS (SELECT 1 FROM activation_set WHERE added_since < now() - interval '500 days') "
                // a full plan is owed: never planned, the destination's activation settings changed since, or the daily reconciliation
                + "OR EXISTS (SELECT 1 FROM segment s CROSS JOIN " + DESTINATIONS + " LEFT JOIN activation_basis b "
                + "  ON b.segment_id = s.id AND b.destination = d.name "
                + "  WHERE s.deleted_at IS NULL AND " + ENABLED
                + "  AND (b.segment_id IS NULL OR b.activation_version <> coalesce((s.destination_versions ->> d.key)::bigint, 0) "
                + "  OR b.full_at < now() - ?::interval))")) {
            ps.setString(1, fullPlanEvery.toMillis() + " milliseconds");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * A segment's sync run begins; {@code userList}: its list (or audience) as known now, null
     * until the run's first sync creates it ({@link #record} names it then).
     */
    public static long start(Connection c, long batchId, String segmentId, Destination destination, String transport,
                             String reason, String userList) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_run (batch_id, segment_id, transport, status, reason, "
                + "started_at, destination, user_list) VALUES (?, ?, ?, 'running', ?, now(), ?, ?) RETURNING id")) {
            ps.setLong(1, batchId);
            ps.setString(2, segmentId);
            ps.setString(3, transport);
            ps.setString(4, reason);
            ps.setString(5, destination.apiName());
            ps.setString(6, userList);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Adds to a run's figures. */
    public static void record(Connection c, long runId, String userList, SyncPlans.Plan plan) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET user_list = coalesce(?, user_list), "
                + "planned_adds = planned_adds + ?, planned_removes = planned_removes + ?, skipped = skipped + ?, "
                + "plan_scope = coalesce(?, plan_scope), plan_examined = coalesce(?, plan_examined), "
                + "plan_millis = coalesce(?, plan_millis) WHERE id = ?")) {
            ps.setString(1, userList);
            ps.setLong(2, plan == null ? 0 : plan.adds());
            ps.setLong(3, plan == null ? 0 : plan.removes());
            ps.setLong(4, plan == null ? 0 : plan.skipped());
            ps.setString(5, plan == null ? null : plan.scope());
            ps.setObject(6, plan == null ? null : plan.examined(), Types.BIGINT);
            ps.setObject(7, plan == null ? null : plan.millis(), Types.BIGINT);
            ps.setLong(8, runId);
            ps.executeUpdate();
        }
    }

    /**
     * Adds what a destination reported it could not use to a run: a count, and samples (JSON
     * object) that replace the run's earlier ones when there are any.
     */
    public static void invalid(Connection c, long runId, long invalid, String samples) throws SQLException {
        if (invalid == 0 && samples == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET invalid_entries = invalid_entries + ?, "
                + "invalid_samples = coalesce(?, invalid_samples) WHERE id = ?")) {
            ps.setLong(1, invalid);
            ps.setString(2, samples);
            ps.setLong(3, runId);
            ps.executeUpdate();
        }
    }

    /** Adds sent people and request ids to a run. */
    public static void sent(Connection c, long runId, long sent, String requestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET sent = sent + ?, request_ids = CASE "
                + "WHEN ? IS NULL THEN request_ids WHEN request_ids = '' THEN ? ELSE request_ids || ' ' || ? END WHERE id = ?")) {
            ps.setLong(1, sent);
            ps.setString(2, requestId);
            ps.setString(3, requestId);
            ps.setString(4, requestId);
            ps.setLong(5, runId);
            ps.executeUpdate();
        }
    }

    /**
     * Records what a finished job did on the run that sent it (not on a later run that only
     * saw it finish): what the platform accepted becomes that run's {@code added} or
     * {@code removed}, and a run that ended waiting for the job ends now, completed or failed.
     *
     * @param outcome what the platform accepted and refused; null when the job failed
     */
    public static void settled(Connection c, SyncJobs.Job job, SyncJobs.Outcome outcome, String error) throws SQLException {
        if (outcome != null) {
            outcome(c, job.syncRunId(), job.kind(), outcome);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET status = ?, error = coalesce(?, error), "
                + "ended_at = coalesce(ended_at, now()) WHERE id = ? AND status = 'waiting'")) {
            ps.setString(1, (outcome != null ? SyncStatus.COMPLETED : SyncStatus.FAILED).apiName());
            ps.setString(2, outcome != null ? null : error);
            ps.setLong(3, job.syncRunId());
            ps.executeUpdate();
        }
    }

    /** Adds what a finished job did to a run's figures. */
    static void outcome(Connection c, long runId, String kind, SyncJobs.Outcome outcome) throws SQLException {
        StringBuilder codes = new StringBuilder("{");
        outcome.rejectedCodes().forEach((k, v) -> codes.append(codes.length() > 1 ? ", " : "").append('"').append(k)
                .append("\": ").append(v));
        codes.append('}');
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET added = added + ?, removed = removed + ?, "
                + "rejected = rejected + ?, rejected_codes = ? WHERE id = ?")) {
            ps.setLong(1, kind.equals("add") ? outcome.accepted() : 0);
            ps.setLong(2, kind.equals("remove") ? outcome.accepted() : 0);
            ps.setLong(3, outcome.rejected());
            ps.setString(4, codes.toString());
            ps.setLong(5, runId);
            ps.executeUpdate();
        }
    }

    /** Ends a run; a completed one (the list is in step with the members) stamps the segment's {@code lastSyncedAt}. */
    public static void finish(Connection c, long runId, String segmentId, SyncStatus status, Long listSize, Integer matchRate,
                              String error, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET status = ?, ended_at = ?, list_size = ?, "
                + "match_rate = ?, error = ? WHERE id = ?")) {
            ps.setString(1, status.apiName());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, listSize);
            ps.setObject(4, matchRate);
            ps.setString(5, error);
            ps.setLong(6, runId);
            ps.executeUpdate();
        }
        if (status == SyncStatus.COMPLETED) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE segment SET last_synced_at = ? WHERE id = ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, segmentId);
                ps.executeUpdate();
            }
        }
    }

    /** The newest runs, of one segment or all (null), with their jobs. */
    public static List<Run> list(Connection c, String segmentId, int limit) throws SQLException {
        return list(c, segmentId, null, limit);
    }

    /** The newest runs, of one segment or all (null), to one destination or all (null), with their jobs. */
    public static List<Run> list(Connection c, String segmentId, Destination destination, int limit) throws SQLException {
        List<Run> runs = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (segmentId != null) {
            where.add("segment_id = ?");
        }
        if (destination != null) {
            where.add("destination = ?");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, segment_id, status, started_at, ended_at, user_list, "
                + "planned_adds, planned_removes, sent, added, removed, rejected, skipped, rejected_codes, list_size, "
                + "match_rate, request_ids, error, plan_scope, plan_examined, plan_millis, destination, invalid_entries, "
                + "invalid_samples FROM sync_run " + (where.isEmpty() ? "" : "WHERE " + String.join(" AND ", where) + " ")
                + "ORDER BY id DESC LIMIT ?")) {
            int p = 1;
            if (segmentId != null) {
                ps.setString(p++, segmentId);
            }
            if (destination != null) {
                ps.setString(p++, destination.apiName());
            }
            ps.setInt(p, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    runs.add(new Run(id, rs.getString(2), Destination.of(rs.getString(22)), SyncStatus.of(rs.getString(3)),
                            rs.getTimestamp(4).toInstant(), rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(),
                            rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                            rs.getLong(12), rs.getLong(13), rs.getString(14), (Long) rs.getObject(15), (Integer) rs.getObject(16),
                            rs.getString(17), rs.getString(18), null, rs.getString(19) == null ? null
                            : new PlanFigures(rs.getString(19), rs.getLong(20), rs.getLong(21)), rs.getLong(23), rs.getString(24)));
                }
            }
        }
        List<Run> withJobs = new ArrayList<>();
        for (Run r : runs) {
            withJobs.add(new Run(r.id(), r.segmentId(), r.destination(), r.status(), r.startedAt(), r.endedAt(), r.userList(),
                    r.plannedAdds(), r.plannedRemoves(), r.sent(), r.added(), r.removed(), r.rejected(), r.skipped(),
                    r.rejectedCodes(), r.listSize(), r.matchRate(), r.requestIds(), r.error(), SyncJobs.ofRun(c, r.id()),
                    r.plan(), r.invalidEntries(), r.invalidSamples()));
        }
        return withJobs;
    }
}
