package io.segmatch.activation.store;

import io.segmatch.datasets.entity.Identifiers;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * A segment whose members go to a Customer Match list: activated and live, or deleted while
 * Google still holds some of its members (they are removed).
 *
 * @param userList the list's resource name, null until the first sync creates it
 */
public record ActivatedSegment(String id, String name, String datasetId, int number, boolean deleted, String userList,
                               String adUserData, String adPersonalization) {

    /** Segments to sync: activated ones not deleted, and deleted ones Google still holds members of. */
    public static List<ActivatedSegment> all(Connection c) throws SQLException {
        List<ActivatedSegment> segments = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, dataset_id, number, deleted_at IS NOT NULL, "
                + "activation_json FROM segment s WHERE activation_json IS NOT NULL AND (deleted_at IS NULL "
                + "OR EXISTS (SELECT 1 FROM activation_member a WHERE a.segment_id = s.id) "
                + "OR EXISTS (SELECT 1 FROM sync_job j WHERE j.segment_id = s.id AND j.status IN ('new', 'created', 'running'))) "
                + "ORDER BY created_at, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonObject ads = googleAds(rs.getString(6));
                if (ads == null) {
                    continue;
                }
                boolean enabled = ads.get("enabled") == JsonValue.TRUE;
                boolean deleted = rs.getBoolean(5);
                if (!enabled && !deleted) {
                    continue; // activation switched off: the list is left as it is
                }
                JsonObject consent = ads.getJsonObject("consent");
                segments.add(new ActivatedSegment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), deleted,
                        ads.get("userList") instanceof JsonString s ? s.getString() : null,
                        consent == null ? "UNSPECIFIED" : consent.getString("adUserData", "UNSPECIFIED"),
                        consent == null ? "UNSPECIFIED" : consent.getString("adPersonalization", "UNSPECIFIED")));
            }
        }
        return segments;
    }

    /** Records the list a sync created on the segment's activation settings. */
    public static void recordUserList(Connection c, String segmentId, String userList) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT activation_json FROM segment WHERE id = ? FOR UPDATE")) {
            ps.setString(1, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                JsonObject activation = JSON.createReader(new StringReader(rs.getString(1))).readObject();
                JsonObject ads = JSON.createObjectBuilder(activation.getJsonObject("googleAds")).add("userList", userList).build();
                String json = JSON.createObjectBuilder(activation).add("googleAds", ads).build().toString();
                try (PreparedStatement update = c.prepareStatement("UPDATE segment SET activation_json = ? WHERE id = ?")) {
                    update.setString(1, json);
                    update.setString(2, segmentId);
                    update.executeUpdate();
                }
            }
        }
    }

    /** The identifier roles of a dataset. */
    public static Identifiers roles(Connection c, String datasetId) throws SQLException {
        Identifiers roles = new Identifiers();
        try (PreparedStatement ps = c.prepareStatement("SELECT id_email, id_phone, id_first_name, id_last_name, "
                + "id_country_code, id_postal_code, default_phone_region FROM dataset WHERE id = ?")) {
            ps.setString(1, datasetId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    List<String> names = Identifiers.ROLES;
                    for (int i = 0; i < names.size(); i++) {
                        roles.setColumn(names.get(i), rs.getString(i + 1));
                    }
                    roles.setDefaultPhoneRegion(rs.getString(7));
                }
            }
        }
        return roles;
    }

    private static JsonObject googleAds(String activationJson) {
        if (activationJson == null) {
            return null;
        }
        JsonObject activation = JSON.createReader(new StringReader(activationJson)).readObject();
        return activation.get("googleAds") instanceof JsonObject ads ? ads : null;
    }
}
