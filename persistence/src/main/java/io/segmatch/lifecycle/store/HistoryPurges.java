package io.segmatch.lifecycle.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * History retention: the enter/exit log, processing runs and syncs older than a cutoff are
 * removed in small batches, each its own transaction, so that a purge never holds locks long.
 * What stays is untouched: a segment's member counts over time are worked out backwards from
 * its current count, so the chart still starts at the right count after a purge. Jobs still
 * open at Google, running runs and running syncs are never removed.
 */
public final class HistoryPurges {

    /** Guards the claim of a purge (one at a time, whatever the number of instances). */
    public static final long LOCK = 0x5E6A_0000_0000_0003L;

    private HistoryPurges() {
    }

    /** One purge, as the API shows it. */
    public record Purge(long id, Instant startedAt, Instant endedAt, Instant cutoff, String reason, long logEntries,
                        long processingRuns, long syncs, long syncJobs, String error) {
    }

    /**
     * Starts a purge unless one ran (or runs) within {@code minimumGap} and {@code force} is
     * false; returns its id, or empty.
     */
    public static Optional<Long> claim(Connection c, Instant cutoff, String reason, Duration minimumGap,
                                       boolean force) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK);
            ps.execute();
        }
        if (!force) {
            try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM history_purge "
                    + "WHERE started_at > now() - ?::interval)")) {
                ps.setString(1, minimumGap.toMillis() + " milliseconds");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.empty();
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO history_purge (cutoff, reason) VALUES (?, ?) RETURNING id")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setString(2, reason);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.of(rs.getLong(1));
            }
        }
    }

    /** What one batch of a purge removes. */
    public enum Kind {
        LOG_ENTRIES("log_entries"), PROCESSING_RUNS("processing_runs"), SYNC_JOBS("sync_jobs"), SYNCS("syncs");

        final String column;

        Kind(String column) {
            this.column = column;
        }
    }

    /**
     * Removes up to {@code limit} records of one kind older than the cutoff, adds the number to
     * the purge's figures, and returns it (0: none of that kind is left).
     */
    public static long batch(Connection c, long purgeId, Kind kind, Instant cutoff, int limit) throws SQLException {
        String sql = switch (kind) {
            // whole enter/exit entries (each holds up to 10,000 keys of one run and segment)
            case LOG_ENTRIES -> "WITH gone AS (DELETE FROM membership_change WHERE id IN (SELECT id FROM membership_change "
                    + "WHERE at < ? ORDER BY id LIMIT ?) RETURNING 1) SELECT count(*) FROM gone";
            case PROCESSING_RUNS -> "WITH gone AS (DELETE FROM processing_run WHERE id IN (SELECT id FROM processing_run "
                    + "WHERE status <> 'running' AND ended_at < ? ORDER BY ended_at LIMIT ?) RETURNING id), "
                    + "segments AS (DELETE FROM segment_run WHERE run_id IN (SELECT id FROM gone) RETURNING 1) "
                    + "SELECT count(*) FROM gone";
            // settled jobs with the people they carried
            case SYNC_JOBS -> "WITH gone AS (DELETE FROM sync_job WHERE id IN (SELECT id FROM sync_job "
                    + "WHERE status IN ('success', 'failed', 'abandoned') AND updated_at < ? ORDER BY updated_at LIMIT ?) RETURNING id), "
                    + "items AS (DELETE FROM sync_job_item WHERE job_id IN (SELECT id FROM gone) RETURNING 1) "
                    + "SELECT count(*) FROM gone";
            // ended syncs none of whose jobs is left, and their batches once empty
            case SYNCS -> "WITH gone AS (DELETE FROM sync_run WHERE id IN (SELECT id FROM sync_run s "
                    + "WHERE s.status <> 'running' AND s.ended_at < ? "
                    + "AND NOT EXISTS (SELECT 1 FROM sync_job j WHERE j.sync_run_id = s.id) ORDER BY s.id LIMIT ?) RETURNING id), "
                    + "batches AS (DELETE FROM sync_batch b WHERE b.status <> 'running' AND b.ended_at < ? "
                    + "AND NOT EXISTS (SELECT 1 FROM sync_run r WHERE r.batch_id = b.id AND r.id NOT IN (SELECT id FROM gone)) "
                    + "RETURNING 1) SELECT count(*) FROM gone";
        };
        long removed;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setInt(2, limit);
            if (kind == Kind.SYNCS) {
                ps.setTimestamp(3, Timestamp.from(cutoff));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                removed = rs.getLong(1);
            }
        }
        if (removed > 0) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE history_purge SET " + kind.column + " = " + kind.column
                    + " + ? WHERE id = ?")) {
                ps.setLong(1, removed);
                ps.setLong(2, purgeId);
                ps.executeUpdate();
            }
        }
        return removed;
    }

    public static void finish(Connection c, long purgeId, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE history_purge SET ended_at = now(), error = ? WHERE id = ?")) {
            ps.setString(1, error);
            ps.setLong(2, purgeId);
            ps.executeUpdate();
        }
    }

    public static Optional<Purge> latest(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, started_at, ended_at, cutoff, reason, log_entries, "
                + "processing_runs, syncs, sync_jobs, error FROM history_purge ORDER BY id DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Purge(rs.getLong(1), instant(rs, 2), instant(rs, 3), instant(rs, 4), rs.getString(5),
                    rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getString(10)));
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
