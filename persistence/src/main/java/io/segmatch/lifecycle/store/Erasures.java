package io.segmatch.lifecycle.store;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Erasure requests and their completion. A request records which rows were deleted (dataset
 * and key); once nothing downstream still needs those keys — no change waits for the membership
 * run, Google holds none of them in any list, no sync job still open carries them — the keys
 * are removed from the enter/exit log and the sync records, and the request keeps only its
 * counts.
 */
public final class Erasures {

    private Erasures() {
    }

    /** One deleted row. */
    public record RowRef(String datasetId, String key) {
    }

    /** A request as the API shows it (never the person's data). */
    public record Erasure(long id, Instant requestedAt, String requestedBy, String matchedBy, int rowsErased,
                          int datasets, String status, Instant completedAt) {
    }

    public static long record(Connection c, String actor, String matchedBy, List<RowRef> rows) throws SQLException {
        JsonArrayBuilder refs = Json.createArrayBuilder();
        rows.forEach(r -> refs.add(Json.createArrayBuilder().add(r.datasetId()).add(r.key())));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO erasure (requested_by, matched_by, rows_erased, datasets, "
                + "status, row_refs, completed_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?) RETURNING id")) {
            ps.setString(1, actor);
            ps.setString(2, matchedBy);
            ps.setInt(3, rows.size());
            ps.setInt(4, (int) rows.stream().map(RowRef::datasetId).distinct().count());
            ps.setString(5, rows.isEmpty() ? "done" : "pending");
            ps.setString(6, rows.isEmpty() ? null : refs.build().toString());
            ps.setObject(7, rows.isEmpty() ? OffsetDateTime.now() : null);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The pending requests' ids. */
    public static List<Long> pending(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM erasure WHERE status = 'pending' ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** SQL: the (dataset id, key) pairs of erasure {@code ?}, with the segments of each dataset. */
    private static final String ERASED = "erased AS MATERIALIZED (SELECT r->>0 AS dataset_id, r->>1 AS row_key "
            + "FROM erasure e, jsonb_array_elements(e.row_refs) r WHERE e.id = ? AND e.status = 'pending'), "
            + "targets AS MATERIALIZED (SELECT s.id AS segment_id, x.row_key FROM erased x JOIN segment s ON s.dataset_id = x.dataset_id)";

    /**
     * Completes a pending request if nothing downstream needs its keys any more: scrubs them from
     * the enter/exit log and the sync records, and forgets them. Returns whether it completed.
     */
    public static boolean completeIfSettled(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH " + ERASED + " SELECT "
                + "EXISTS (SELECT 1 FROM erased x JOIN pending_change p ON p.dataset_id = x.dataset_id AND p.row_key = x.row_key) "
                + "OR EXISTS (SELECT 1 FROM targets t JOIN activation_set v ON v.segment_id = t.segment_id "
                + "  JOIN activation_member a ON a.set_id = v.id AND a.row_key = t.row_key) "
                + "OR EXISTS (SELECT 1 FROM targets t JOIN activation_queue q ON q.segment_id = t.segment_id AND q.row_keys @> ARRAY[t.row_key]) "
                + "OR EXISTS (SELECT 1 FROM targets t JOIN sync_job j ON j.segment_id = t.segment_id "
                + "  AND j.status IN ('new', 'created', 'running') "
                + "  JOIN sync_job_item i ON i.job_id = j.id AND i.row_key = t.row_key)")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return false;
                }
            }
        }
        // the log: entries holding only erased keys go, others lose the keys
        try (PreparedStatement ps = c.prepareStatement("WITH " + ERASED + ", "
                + "hit AS (SELECT m.id, array_agg(t.row_key) AS keys FROM targets t JOIN membership_change m "
                + "  ON m.segment_id = t.segment_id AND m.row_keys @> ARRAY[t.row_key] GROUP BY m.id), "
                + "emptied AS (DELETE FROM membership_change m USING hit WHERE m.id = hit.id "
                + "  AND NOT EXISTS (SELECT 1 FROM unnest(m.row_keys) k WHERE k <> ALL (hit.keys)) RETURNING m.id) "
                + "UPDATE membership_change m SET row_keys = ARRAY(SELECT k FROM unnest(m.row_keys) k WHERE k <> ALL (hit.keys)) "
                + "FROM hit WHERE m.id = hit.id AND m.id NOT IN (SELECT id FROM emptied)")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("WITH " + ERASED + " DELETE FROM sync_job_item i USING sync_job j, targets t "
                + "WHERE i.job_id = j.id AND j.segment_id = t.segment_id AND i.row_key = t.row_key")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE erasure SET status = 'done', completed_at = now(), row_refs = NULL "
                + "WHERE id = ? AND status = 'pending'")) {
            ps.setLong(1, id);
            return ps.executeUpdate() > 0;
        }
    }

    public static Optional<Erasure> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, requested_at, requested_by, matched_by, rows_erased, datasets, "
                + "status, completed_at FROM erasure WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(erasure(rs)) : Optional.empty();
            }
        }
    }

    public static List<Erasure> recent(Connection c, int limit) throws SQLException {
        List<Erasure> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, requested_at, requested_by, matched_by, rows_erased, datasets, "
                + "status, completed_at FROM erasure ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(erasure(rs));
                }
            }
        }
        return list;
    }

    private static Erasure erasure(ResultSet rs) throws SQLException {
        OffsetDateTime done = rs.getObject(8, OffsetDateTime.class);
        return new Erasure(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4),
                rs.getInt(5), rs.getInt(6), rs.getString(7), done == null ? null : done.toInstant());
    }
}
