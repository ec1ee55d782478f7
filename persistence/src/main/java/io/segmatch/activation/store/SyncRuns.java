package io.segmatch.activation.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Sync runs: one per segment, destination and sync ({@link SyncBatches}: the syncs of every activated segment). */
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


    /** How a run planned: "full" or "changes", the people it looked at, its time in milliseconds. */
    public record PlanFigures(String scope, long examined, long millis) {
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
     * Records what a finished job did on the run that planned it (not on a later run that only
     * saw it finish): what the platform accepted becomes that run's {@code added} or
     * {@code removed}, and a run that ended waiting for its jobs ends now: completed with the
     * last of them, failed with one that failed.
     *
     * @param outcome what the platform accepted and refused; null when the job failed
     */
    public static void settled(Connection c, SyncJobs.Job job, JobSettlement.Outcome outcome, String error) throws SQLException {
        if (outcome != null) {
            outcome(c, job.syncRunId(), job.kind(), outcome);
        }
        if (outcome == null) {
            // one failed job fails the run that planned it, waiting or still running (its own
            // end keeps the failure: finish), whatever its other jobs do
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET status = 'failed', error = ?, "
                    + "ended_at = CASE WHEN status = 'waiting' THEN coalesce(ended_at, now()) ELSE ended_at END "
                    + "WHERE id = ? AND status IN ('waiting', 'running')")) {
                ps.setString(1, error);
                ps.setLong(2, job.syncRunId());
                ps.executeUpdate();
            }
            return;
        }
        // a run whose plan made several jobs completes with its last
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET status = 'completed', "
                + "ended_at = coalesce(ended_at, now()) WHERE id = ? AND status = 'waiting' AND NOT EXISTS "
                + "(SELECT 1 FROM sync_job WHERE sync_run_id = ? AND status IN ('new', 'created', 'running'))")) {
            ps.setLong(1, job.syncRunId());
            ps.setLong(2, job.syncRunId());
            ps.executeUpdate();
        }
    }

    /** Adds what a finished job did to a run's figures. */
    static void outcome(Connection c, long runId, String kind, JobSettlement.Outcome outcome) throws SQLException {
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

    /**
     * Ends a run; a completed one (the list is in step with the members) stamps the segment's
     * {@code lastSyncedAt}. A run that one of its jobs failed meanwhile ({@link #settled}) stays
     * failed, with that error unless this one says more.
     */
    public static void finish(Connection c, long runId, String segmentId, SyncStatus status, Long listSize, Integer matchRate,
                              String error, Instant now) throws SQLException {
        String ended;
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET status = CASE WHEN status = 'failed' THEN status "
                + "ELSE ? END, ended_at = ?, list_size = ?, match_rate = ?, error = CASE WHEN status = 'failed' "
                + "THEN coalesce(?, error) ELSE ? END WHERE id = ? RETURNING status")) {
            ps.setString(1, status.apiName());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, listSize);
            ps.setObject(4, matchRate);
            ps.setString(5, error);
            ps.setString(6, error);
            ps.setLong(7, runId);
            try (ResultSet rs = ps.executeQuery()) {
                ended = rs.next() ? rs.getString(1) : null;
            }
        }
        if (status == SyncStatus.COMPLETED && SyncStatus.COMPLETED.apiName().equals(ended)) {
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
