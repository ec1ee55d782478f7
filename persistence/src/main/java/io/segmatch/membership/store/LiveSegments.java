package io.segmatch.membership.store;

import io.segmatch.activation.store.Destination;
import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.membership.evaluation.SegmentRule;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.segments.evaluation.RuleValidator;
import io.segmatch.segments.store.SegmentReferences;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * Reads segments with their rules, checked against their dataset's current columns (a stored
 * rule stays valid: a type change that would break it is refused).
 */
public final class LiveSegments {

    /**
     * The advisory lock that orders membership writes against full sync plans: every
     * transaction that writes the activation queue holds it shared from before it reads which
     * segments are activated until it ends; a sync takes it exclusively for a moment before a
     * full plan, so that no write that read the activation settings before they changed is
     * still open when the plan reads the members.
     */
    public static final long ACTIVATION_LOCK = 0x5E6A_AC71_0000_0001L;

    private LiveSegments() {
    }

    /** The live (not deleted) segments of a dataset. */
    public static List<SegmentRule> ofDataset(Connection c, String datasetId) throws SQLException {
        return read(c, "WHERE s.dataset_id = ? AND s.deleted_at IS NULL ORDER BY s.id", datasetId);
    }

    /** One segment, deleted or not; null if there is none. */
    public static SegmentRule one(Connection c, String segmentId) throws SQLException {
        List<SegmentRule> found = read(c, "WHERE s.id = ?", segmentId);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<SegmentRule> read(Connection c, String where, String param) throws SQLException {
        String sql = "SELECT s.id, s.dataset_id, s.logic, s.conditions_json, s.activation_json, s.definition_version, "
                + "d.key_column, s.number FROM segment s JOIN dataset d ON d.id = s.dataset_id " + where;
        List<SegmentRule> rules = new ArrayList<>();
        RuleValidator.Segments references = SegmentReferences.lookup(c);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Dataset dataset = dataset(c, rs.getString(2), rs.getString(7));
                    RuleRequest request;
                    try (var reader = JSON.createReader(new StringReader(rs.getString(4)))) {
                        request = RuleRequest.of(rs.getString(3), reader.readArray());
                    }
                    Rule rule = RuleValidator.validate(request, dataset, references, rs.getString(1));
                    rules.add(new SegmentRule(rs.getString(1), rs.getString(2), rs.getInt(8), rule,
                            activated(rs.getString(5)), rs.getLong(6)));
                }
            }
        }
        return rules;
    }

    /** Whether activation settings enable a destination. */
    public static boolean activated(String activationJson) {
        return !Destination.enabledIn(activationJson).isEmpty();
    }

    private static Dataset dataset(Connection c, String id, String keyColumn) throws SQLException {
        Dataset dataset = new Dataset(id, id, keyColumn, Instant.EPOCH);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, type FROM dataset_column WHERE dataset_id = ? ORDER BY position")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dataset.addColumn(rs.getString(1), ColumnType.fromApiName(rs.getString(2)).orElseThrow());
                }
            }
        }
        return dataset;
    }
}
