package io.segmatch.segments.store;

import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.segments.evaluation.RuleValidator;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * Segments that refer to segments ({@code {"segment": ID, "operator": "in"}} anywhere in a
 * rule): the stored rules a reference reads, who refers to a segment, and the lock that
 * serialises changes of the graph of references.
 */
public final class SegmentReferences {

    /**
     * The transaction-scoped advisory lock every change of a segment's rule, dataset or
     * existence takes first: a save that adds a reference and a delete (or another save) of
     * the segment it refers to cannot both pass their checks on what the other is changing.
     */
    public static final long GRAPH_LOCK = 0x5E6A_5E6D_0000_0001L;

    /** A segment that refers to another. */
    public record Referrer(String id, String name) {
    }

    private SegmentReferences() {
    }

    /** Takes {@link #GRAPH_LOCK} until the transaction ends. */
    public static void lockGraph(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, GRAPH_LOCK);
            ps.executeQuery().close();
        }
    }

    /**
     * The live segments, looked up by id on {@code c} as references need them (each at most
     * once): for validating rules that refer to segments.
     */
    public static RuleValidator.Segments lookup(Connection c) {
        Map<String, Optional<RuleValidator.Referenced>> seen = new HashMap<>();
        return id -> seen.computeIfAbsent(id, k -> {
            try {
                return find(c, k);
            } catch (SQLException e) {
                throw new IllegalStateException("could not read segment " + k + ": " + e.getMessage(), e);
            }
        });
    }

    /** A live segment with its stored rule, or empty. */
    public static Optional<RuleValidator.Referenced> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, dataset_id, logic, conditions_json FROM segment "
                + "WHERE id = ? AND deleted_at IS NULL")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                RuleRequest rule;
                try (var reader = JSON.createReader(new StringReader(rs.getString(5)))) {
                    rule = RuleRequest.of(rs.getString(4), reader.readArray());
                }
                return Optional.of(new RuleValidator.Referenced(rs.getString(1), rs.getString(2), rs.getString(3), rule));
            }
        }
    }

    /** The live segments whose rules refer to {@code segmentId} themselves (not through another), by name. */
    public static List<Referrer> referrers(Connection c, String segmentId) throws SQLException {
        List<Referrer> referrers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM segment WHERE deleted_at IS NULL AND id <> ? "
                + "AND jsonb_path_exists(conditions_json::jsonb, '$.** ? (@.segment == $id)', jsonb_build_object('id', ?::text)) "
                + "ORDER BY name, id")) {
            ps.setString(1, segmentId);
            ps.setString(2, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    referrers.add(new Referrer(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return referrers;
    }
}
