package io.segmatch.activation.store;

import io.segmatch.shared.store.ServerInstances;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sync batches: one sync of every activated segment, one running at a time, kept alive by its
 * heartbeat and taken for lost when its server is gone; and whether the next one is due.
 * The runs of its segments: {@link SyncRuns}.
 */
public final class SyncBatches {

    private static final String DESTINATIONS = Destination.TABLE_SQL;
    private static final String ENABLED = Destination.ENABLED_SQL;

    private SyncBatches() {
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
}
