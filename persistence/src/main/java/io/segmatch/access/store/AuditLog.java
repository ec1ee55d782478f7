package io.segmatch.access.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code audit_log} table: who did what, newest first. */
public final class AuditLog {

    private AuditLog() {
    }

    public record Entry(long id, Instant at, String actor, String action, String target, String detail) {
    }

    public static void record(Connection c, Instant at, String actor, String action, String target, String detail)
            throws SQLException {
        try (var ps = c.prepareStatement(
                "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, actor);
            ps.setString(3, action);
            ps.setString(4, target);
            ps.setString(5, detail);
            ps.executeUpdate();
        }
    }

    /** Up to {@code limit} entries older than {@code beforeId} (all when null), newest first. */
    public static List<Entry> page(Connection c, Long beforeId, int limit) throws SQLException {
        String sql = "SELECT id, at, actor, action, target, detail FROM audit_log"
                + (beforeId == null ? "" : " WHERE id < ?") + " ORDER BY id DESC LIMIT ?";
        List<Entry> entries = new ArrayList<>();
        try (var ps = c.prepareStatement(sql)) {
            int i = 1;
            if (beforeId != null) {
                ps.setLong(i++, beforeId);
            }
            ps.setInt(i, limit);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return entries;
    }
}
