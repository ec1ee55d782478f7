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
 * A segment whose members go to a destination (a Customer Match list, a Meta audience):
 * activated there and live, or deleted while the destination still holds some of its members
 * (they are removed). A segment activated to both destinations is two of these.
 *
 * @param userList          the destination's list: the Google list's resource name or the Meta
 *                          audience's id, null until the first sync creates it
 * @param adUserData        Google's consent for ad user data (UNSPECIFIED for Meta)
 * @param adPersonalization Google's consent for ad personalization (UNSPECIFIED for Meta)
 */
public record ActivatedSegment(String id, String name, String datasetId, int number, boolean deleted,
                               Destination destination, String userList, String adUserData, String adPersonalization) {

    /**
     * What to sync, in the order segments were made, Google before Meta for each: every
     * destination a live segment is activated to, and every destination a deleted segment's
     * members are still held by (acknowledged people or an unfinished job).
     */
    public static List<ActivatedSegment> all(Connection c) throws SQLException {
        List<ActivatedSegment> segments = new ArrayList<>();
        StringBuilder held = new StringBuilder();
        for (Destination d : Destination.values()) {
            held.append(", s.deleted_at IS NOT NULL AND (EXISTS (SELECT 1 FROM activation_set v JOIN activation_member a "
                    + "ON a.set_id = v.id WHERE v.segment_id = s.id AND v.destination = '").append(d.apiName())
                    .append("') OR EXISTS (SELECT 1 FROM sync_job j "
                    + "WHERE j.segment_id = s.id AND j.destination = '").append(d.apiName())
                    .append("' AND j.status IN ('new', 'created', 'running')))");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, dataset_id, number, deleted_at IS NOT NULL, "
                + "activation_json" + held + " FROM segment s WHERE activation_json IS NOT NULL ORDER BY created_at, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonObject activation = JSON.createReader(new StringReader(rs.getString(6))).readObject();
                boolean deleted = rs.getBoolean(5);
                for (Destination d : Destination.values()) {
                    JsonObject part = d.settings(activation);
                    if (part == null) {
                        continue;
                    }
                    boolean enabled = part.get("enabled") == JsonValue.TRUE;
                    if (deleted ? !rs.getBoolean(7 + d.ordinal()) : !enabled) {
                        continue; // switched off: the list is left as it is; deleted: nothing held there
                    }
                    JsonObject consent = part.get("consent") instanceof JsonObject o ? o : null;
                    segments.add(new ActivatedSegment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), deleted,
                            d, part.get(d.listKey()) instanceof JsonString l ? l.getString() : null,
                            consent == null ? "UNSPECIFIED" : consent.getString("adUserData", "UNSPECIFIED"),
                            consent == null ? "UNSPECIFIED" : consent.getString("adPersonalization", "UNSPECIFIED")));
                }
            }
        }
        return segments;
    }

    /** Records the list (Google) or audience (Meta) a sync created on the segment's activation settings. */
    public static void recordUserList(Connection c, String segmentId, Destination destination, String list) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT activation_json FROM segment WHERE id = ? FOR UPDATE")) {
            ps.setString(1, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                JsonObject activation = JSON.createReader(new StringReader(rs.getString(1))).readObject();
                JsonObject part = JSON.createObjectBuilder(destination.settings(activation)).add(destination.listKey(), list).build();
                String json = JSON.createObjectBuilder(activation).add(destination.settingsKey(), part).build().toString();
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
}
