package io.segmatch.live.store;

import io.segmatch.datasets.store.PendingChanges;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the state the {@code segments} event carries (docs/operations.md). It reads only
 * what is committed, so an event never shows state that may still roll back.
 */
public final class LiveSnapshots {

    private LiveSnapshots() {
    }

    /** One segment as the dashboard shows it. */
    public record SegmentState(String id, String name, String datasetId, long memberCount, String status,
                               Instant lastEvaluatedAt, Instant lastSyncedAt, boolean activated) {
    }

    /** Everything the event carries, but the time it is sent. */
    public record Snapshot(long pendingChanges, boolean processing, Instant lastRunEndedAt, boolean syncing,
                           Instant lastSyncEndedAt, long datasets, long rows, List<SegmentState> segments) {
    }

    public static Snapshot read(Connection c) throws SQLException {
        List<SegmentState> segments = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, dataset_id, member_count, status, last_evaluated_at, "
                + "last_synced_at, coalesce(activation_json::jsonb @> '{\"googleAds\": {\"enabled\": true}}' OR activation_json::jsonb @> '{\"meta\": {\"enabled\": true}}', false) "
                + "FROM segment WHERE deleted_at IS NULL ORDER BY created_at, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                segments.add(new SegmentState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), instant(rs, 6), instant(rs, 7), rs.getBoolean(8)));
            }
        }
        // the newest run and batch by id (their primary keys) rather than max(ended_at) over all of them
        try (PreparedStatement ps = c.prepareStatement("SELECT (" + PendingChanges.COUNT_SQL + "), "
                + "EXISTS (SELECT 1 FROM processing_run WHERE status = 'running'), "
                + "(SELECT ended_at FROM processing_run WHERE ended_at IS NOT NULL ORDER BY id DESC LIMIT 1), "
                + "EXISTS (SELECT 1 FROM sync_batch WHERE status = 'running'), "
                + "(SELECT ended_at FROM sync_batch WHERE ended_at IS NOT NULL ORDER BY id DESC LIMIT 1), "
                + "(SELECT count(*) FROM dataset), (SELECT coalesce(sum(row_count), 0) FROM dataset)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Snapshot(rs.getLong(1), rs.getBoolean(2), instant(rs, 3), rs.getBoolean(4),
                    instant(rs, 5), rs.getLong(6), rs.getLong(7), segments);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
