package io.segmatch.datasets.store;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * Single-row reads and writes of dataset rows. Every write that changes a row also
 * records its pending change, on the same connection and so in the same transaction.
 */
public class RowStore {

    private static final String SELECT = "SELECT row_key, data::text, created_at, updated_at FROM dataset_row ";

    public Optional<StoredRow> find(Connection c, String datasetId, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + "WHERE dataset_id = ? AND row_key = ?")) {
            ps.setString(1, datasetId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Rows in key order after {@code afterKey} (null: from the start). */
    public List<StoredRow> page(Connection c, String datasetId, String afterKey, int limit) throws SQLException {
        String sql = SELECT + "WHERE dataset_id = ? AND (?::text IS NULL OR row_key > ?) ORDER BY row_key LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, datasetId);
            ps.setString(2, afterKey);
            ps.setString(3, afterKey);
            ps.setInt(4, limit);
            List<StoredRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        }
    }

    public void insert(Connection c, String datasetId, String key, Map<String, String> values, Instant now)
            throws SQLException {
        String sql = "INSERT INTO dataset_row (dataset_id, row_key, data, created_at, updated_at) "
                + "VALUES (?, ?, ?::jsonb, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, datasetId);
            ps.setString(2, key);
            ps.setString(3, JsonText.object(values));
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.executeUpdate();
        }
        PendingChanges.record(c, datasetId, key, now);
        TypedRows.put(c, datasetId, TypedRows.columns(c, datasetId), key);
    }

    /** Replaces the row's values; returns false (and touches nothing) when they are the same. */
    public boolean update(Connection c, String datasetId, String key, Map<String, String> values, Instant now)
            throws SQLException {
        String sql = "UPDATE dataset_row SET data = ?::jsonb, updated_at = ? "
                + "WHERE dataset_id = ? AND row_key = ? AND data IS DISTINCT FROM ?::jsonb";
        String json = JsonText.object(values);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, json);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, datasetId);
            ps.setString(4, key);
            ps.setString(5, json);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        PendingChanges.record(c, datasetId, key, now);
        TypedRows.put(c, datasetId, TypedRows.columns(c, datasetId), key);
        return true;
    }

    public boolean delete(Connection c, String datasetId, String key, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM dataset_row WHERE dataset_id = ? AND row_key = ?")) {
            ps.setString(1, datasetId);
            ps.setString(2, key);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        PendingChanges.record(c, datasetId, key, now);
        TypedRows.put(c, datasetId, TypedRows.columns(c, datasetId), key);
        return true;
    }

    /**
     * Removes every row of a dataset, its pending changes and its rows' memberships (none are
     * left once its segments are deleted and retired; the dataset itself is going away).
     */
    public void deleteDataset(Connection c, String datasetId) throws SQLException {
        TypedRows.drop(c, datasetId);
        for (String table : List.of("dataset_row", "pending_change", "row_membership")) {
            // the memberships name their dataset by its number
            String dataset = table.equals("row_membership") ? "dataset = (SELECT number FROM dataset WHERE id = ?)"
                    : "dataset_id = ?";
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + dataset)) {
                ps.setString(1, datasetId);
                ps.executeUpdate();
            }
        }
    }

    private static StoredRow read(ResultSet rs) throws SQLException {
        return new StoredRow(rs.getString(1), parse(rs.getString(2)),
                rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant());
    }

    /** Parses a stored data object; every value is a JSON string. */
    /** The keys of a dataset's rows whose {@code column} holds a value the test accepts (read in pages of 10,000). */
    public List<String> keysWhere(Connection c, String datasetId, String column, Predicate<String> test)
            throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT row_key, data->>? FROM dataset_row WHERE dataset_id = ? "
                + "AND jsonb_exists(data, ?)")) {
            ps.setString(1, column);
            ps.setString(2, datasetId);
            ps.setString(3, column);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String value = rs.getString(2);
                    if (value != null && test.test(value)) {
                        keys.add(rs.getString(1));
                    }
                }
            }
        }
        return keys;
    }

    public static Map<String, String> parse(String json) {
        Map<String, String> values = new LinkedHashMap<>();
        try (var reader = JSON.createReader(new StringReader(json))) {
            JsonObject object = reader.readObject();
            for (Map.Entry<String, JsonValue> e : object.entrySet()) {
                if (e.getValue() instanceof JsonString s) {
                    values.put(e.getKey(), s.getString());
                }
            }
        }
        return values;
    }
}
