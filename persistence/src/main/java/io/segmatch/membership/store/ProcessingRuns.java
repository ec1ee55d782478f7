package io.segmatch.membership.store;

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

/**
 * The processing runs: at most one is running at a time, whatever the number of application
 * instances (a unique index on the running one). A run whose server is gone (its instance lock,
 * see {@link ServerInstances}, can be taken) is recorded as failed at once, and so is one whose
 * heartbeat stopped for {@code lostAfter} although its server runs; the work it left is asked
 * for again.
 */
public final class ProcessingRuns {

    private ProcessingRuns() {
    }

    /** One run as the API shows it. */
    public record Run(long id, RunStatus status, Instant startedAt, Instant endedAt, String reason, long rowsEvaluated,
                      long segmentsEvaluated, long entered, long exited, Long executionId, String error) {
    }

    /** The outcome of a start: the run, and whether this call started it (false: one was running). */
    public record Claim(Run run, boolean started) {
    }

    private static final String COLUMNS = "id, status, started_at, ended_at, reason, rows_evaluated, segments_evaluated, "
            + "entered, exited, execution_id, error";

    /**
     * Starts a run unless one is running: the one running is returned instead. Covers the
     * prompt-run requests made so far. Commit before starting the job.
     */
    public static Claim claim(Connection c, String reason, Duration lostAfter) throws SQLException {
        return claim(c, reason, lostAfter, null);
    }

    /** {@link #claim(Connection, String, Duration)} by the server instance {@code owner} (null: unknown). */
    public static Claim claim(Connection c, String reason, Duration lostAfter, Integer owner) throws SQLException {
        claimIfLost(c, lostAfter);
        Long id = null;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO processing_run (status, started_at, heartbeat_at, reason, owner) "
                + "VALUES ('running', now(), now(), ?, ?) ON CONFLICT DO NOTHING RETURNING id")) {
            ps.setString(1, reason);
            ps.setObject(2, owner, Types.INTEGER);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    id = rs.getLong(1);
                }
            }
        }
        if (id == null) {
            return new Claim(running(c).orElseThrow(() -> new SQLException("a run is running and none is found")), false);
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM run_request WHERE requested_at <= now()")) {
            ps.executeUpdate();
        }
        return new Claim(find(c, id).orElseThrow(), true);
    }

    /**
     * Records the running run as failed when its server is gone (a run recorded without an owner:
     * when its heartbeat is older than {@code lostAfter}); what it left undone is asked for again
     * (a run request), so that the next run starts at once. Returns whether a run was lost. A run
     * whose server lives is its server's to end ({@link #endedWithoutFinishing}).
     */
    public static boolean claimIfLost(Connection c, Duration lostAfter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH lost AS (UPDATE processing_run SET status = 'failed', "
                + "ended_at = now(), error = CASE WHEN owner IS NULL THEN 'lost: no sign of life since ' || heartbeat_at "
                + "  ELSE 'lost: its server stopped' END "
                + "WHERE status = 'running' AND (" + ServerInstances.ownerGone("owner")
                + "  OR owner IS NULL AND heartbeat_at < now() - make_interval(secs => ?)) RETURNING id) "
                + "INSERT INTO run_request (reason) SELECT 'run ' || id || ' was lost' FROM lost")) {
            ps.setDouble(1, lostAfter.toMillis() / 1000.0);
            return ps.executeUpdate() > 0;
        }
    }

    /**
     * Records a run of this server as failed because its batch job ended without ending it (a
     * crash inside the job); its work is asked for again. Returns whether it was still running.
     */
    public static boolean endedWithoutFinishing(Connection c, long runId, String jobStatus) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH lost AS (UPDATE processing_run SET status = 'failed', "
                + "ended_at = now(), error = 'lost: its batch job ended (' || ? || ') without finishing it' "
                + "WHERE id = ? AND status = 'running' RETURNING id) "
                + "INSERT INTO run_request (reason) SELECT 'run ' || id || ' was lost' FROM lost")) {
            ps.setString(1, jobStatus);
            ps.setLong(2, runId);
            return ps.executeUpdate() > 0;
        }
    }

    public static void executionStarted(Connection c, long runId, long executionId) throws SQLException {
        update(c, "UPDATE processing_run SET execution_id = ? WHERE id = ?", executionId, runId);
    }

    /**
     * Adds a chunk's or a rebuild's counts and renews the heartbeat, in the work's transaction.
     * Fails (so the work rolls back) when the run is no longer running: it was taken for lost
     * and another run may be doing its work.
     */
    public static void progress(Connection c, long runId, long rows, long segments, long entered, long exited)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE processing_run SET rows_evaluated = rows_evaluated + ?, "
                + "segments_evaluated = segments_evaluated + ?, entered = entered + ?, exited = exited + ?, "
                + "heartbeat_at = now() WHERE id = ? AND status = 'running'")) {
            ps.setLong(1, rows);
            ps.setLong(2, segments);
            ps.setLong(3, entered);
            ps.setLong(4, exited);
            ps.setLong(5, runId);
            if (ps.executeUpdate() == 0) {
                throw new SQLException("processing run " + runId + " is no longer running (taken for lost): its work is"
                        + " left to the run that took over", "55000");
            }
        }
    }

    /** Ends a run: completed, or failed with the error. */
    public static void finish(Connection c, long runId, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE processing_run SET status = ?, error = ?, ended_at = now(), "
                + "heartbeat_at = now() WHERE id = ? AND status = 'running'")) {
            ps.setString(1, (error == null ? RunStatus.COMPLETED : RunStatus.FAILED).apiName());
            ps.setString(2, error);
            ps.setLong(3, runId);
            ps.executeUpdate();
        }
    }

    /**
     * Asks for a prompt run (an upload, a row change, a segment change), in the caller's
     * transaction; returns true.
     */
    public static boolean request(Connection c, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO run_request (reason) VALUES (?)")) {
            ps.setString(1, reason);
            ps.executeUpdate();
        }
        return true;
    }

    /**
     * What decides whether a run is due. {@code failedSegments}: segments whose rebuild failed
     * are retried at the pace of the interval, not at every tick. {@code settling}: a segment's
     * definition changed moments ago (within the settle time) and none has waited for its
     * rebuild longer than the longest wait; the run waits, so that segments saved in a burst
     * (a script creating ten, an editor saving twice) are built by one run, which reads every
     * row once, instead of one run each.
     */
    public record Due(boolean requested, boolean pending, boolean staleSegments, Instant lastEnded, boolean running,
                      boolean failedSegments, boolean settling) {

        public Due(boolean requested, boolean pending, boolean staleSegments, Instant lastEnded, boolean running,
                   boolean failedSegments) {
            this(requested, pending, staleSegments, lastEnded, running, failedSegments, false);
        }

        /**
         * Due when asked, when segments wait, or when changes wait and the last run is older than
         * the interval; never while segments settle.
         */
        public boolean due(Instant now, Duration interval) {
            return !running && !settling && (requested || staleSegments
                    || (pending || failedSegments) && (lastEnded == null || lastEnded.isBefore(now.minus(interval))));
        }
    }

    /** {@link #due(Connection, Instant, Duration)} without settling. */
    public static Due due(Connection c) throws SQLException {
        return due(c, Instant.now(), Duration.ZERO);
    }

    /** The segments waiting for a rebuild of their definition (not those deleted or failed). */
    private static final String WAITING_REBUILD = "SELECT 1 FROM segment WHERE deleted_at IS NULL AND status <> 'failed' "
            + "AND definition_version > evaluated_version AND updated_at ";

    /**
     * What the timer needs to know at {@code now}; segments settle for {@code settle} after their
     * last definition change, and at most {@link #MAX_SETTLE_FACTOR} times as long after the first.
     */
    public static Due due(Connection c, Instant now, Duration settle) throws SQLException {
        String sql = "SELECT EXISTS (SELECT 1 FROM run_request), EXISTS (SELECT 1 FROM pending_change), "
                + "EXISTS (SELECT 1 FROM segment WHERE deleted_at IS NULL AND status <> 'failed' AND (" + SegmentStates.STALE + ")) "
                + "OR EXISTS (SELECT 1 FROM segment WHERE deleted_at IS NOT NULL AND evaluated_version < definition_version), "
                + "(SELECT max(ended_at) FROM processing_run), "
                + "EXISTS (SELECT 1 FROM processing_run WHERE status = 'running'), "
                + "EXISTS (SELECT 1 FROM segment WHERE deleted_at IS NULL AND status = 'failed' AND (" + SegmentStates.STALE + ")), "
                + SETTLING_SQL;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            settleCutoffs(ps, now, settle);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp ended = rs.getTimestamp(4);
                return new Due(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3),
                        ended == null ? null : ended.toInstant(), rs.getBoolean(5), rs.getBoolean(6),
                        !settle.isZero() && rs.getBoolean(7));
            }
        }
    }

    /** Whether segments settle: one changed within the settle time, none waiting for five (parameters: both cutoffs). */
    private static final String SETTLING_SQL = "EXISTS (" + WAITING_REBUILD + "> ?) AND NOT EXISTS (" + WAITING_REBUILD + "<= ?)";

    /**
     * Whether the segments whose definition changed are settling at {@code now} (see {@link Due}):
     * a run that started for another reason leaves them to the run after, which builds them together.
     */
    public static boolean settling(Connection c, Instant now, Duration settle) throws SQLException {
        if (settle.isZero()) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SETTLING_SQL)) {
            settleCutoffs(ps, now, settle);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The two parameters of {@link #SETTLING_SQL}, the first and second of the statement. */
    private static void settleCutoffs(PreparedStatement ps, Instant now, Duration settle) throws SQLException {
        ps.setTimestamp(1, Timestamp.from(now.minus(settle)));
        ps.setTimestamp(2, Timestamp.from(now.minus(settle.multipliedBy(MAX_SETTLE_FACTOR))));
    }

    /** Segments changing without pause wait at most this many settle times for their rebuild. */
    public static final int MAX_SETTLE_FACTOR = 5;

    /** The running run of this server instance, with its job execution: {run id, execution id}. */
    public static Optional<long[]> runningExecution(Connection c, int owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, execution_id FROM processing_run "
                + "WHERE status = 'running' AND owner = ? AND execution_id IS NOT NULL")) {
            ps.setInt(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new long[]{rs.getLong(1), rs.getLong(2)}) : Optional.empty();
            }
        }
    }

    public static Optional<Run> running(Connection c) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM processing_run WHERE status = 'running'");
    }

    public static Optional<Run> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM processing_run WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public static Optional<Run> last(Connection c) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM processing_run ORDER BY id DESC LIMIT 1");
    }

    public static List<Run> recent(Connection c, int limit) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM processing_run ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(read(rs));
                }
            }
        }
        return runs;
    }

    /** The runs that changed a segment's members, newest first. */
    public static List<Run> ofSegment(Connection c, String segmentId, int limit) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM processing_run r WHERE id IN "
                + "(SELECT run_id FROM segment_run WHERE segment_id = ? ORDER BY run_id DESC LIMIT ?) ORDER BY id DESC")) {
            ps.setString(1, segmentId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(read(rs));
                }
            }
        }
        return runs;
    }

    private static Optional<Run> one(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static Run read(ResultSet rs) throws SQLException {
        Timestamp ended = rs.getTimestamp(4);
        long execution = rs.getLong(10);
        Long executionId = rs.wasNull() ? null : execution;
        return new Run(rs.getLong(1), RunStatus.of(rs.getString(2)), rs.getTimestamp(3).toInstant(),
                ended == null ? null : ended.toInstant(), rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                rs.getLong(9), executionId, rs.getString(11));
    }

    private static void update(Connection c, String sql, long a, long b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, a);
            ps.setLong(2, b);
            ps.executeUpdate();
        }
    }

    /** Records that a run moved a segment's members (the console's "runs that changed it"). */
    static void segmentMoved(Connection c, String segmentId, long runId, long entered, long exited) throws SQLException {
        if (entered + exited == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO segment_run (segment_id, run_id, entered, exited) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (segment_id, run_id) DO UPDATE SET entered = segment_run.entered + "
                + "excluded.entered, exited = segment_run.exited + excluded.exited")) {
            ps.setString(1, segmentId);
            ps.setLong(2, runId);
            ps.setLong(3, entered);
            ps.setLong(4, exited);
            ps.executeUpdate();
        }
    }
}
