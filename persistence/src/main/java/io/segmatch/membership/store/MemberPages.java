package io.segmatch.membership.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reading membership for the API and the console: members and the enter/exit log, page by page. */
public final class MemberPages {

    private MemberPages() {
    }

    /** A member of a segment. */
    public record Member(String key, Instant since) {
    }

    /** An entry of the enter/exit log. */
    public record Change(long id, String key, String change, Instant at, long runId) {
    }

    /**
     * A page of a segment's members in key order after {@code afterKey} (null: from the
     * start), optionally only keys starting with {@code prefix}; one more than {@code limit}
     * is read to tell whether a next page exists.
     */
    public static List<Member> members(Connection c, String segmentId, String afterKey, String prefix, int limit)
            throws SQLException {
        String sql = "SELECT row_key, since FROM segment_member WHERE segment_id = ? "
                + (afterKey == null ? "" : "AND row_key > ? ")
                + (prefix == null ? "" : "AND starts_with(row_key, ?) ")
                + "ORDER BY row_key LIMIT ?";
        List<Member> members = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, segmentId);
            if (afterKey != null) {
                ps.setString(i++, afterKey);
            }
            if (prefix != null) {
                ps.setString(i++, prefix);
            }
            ps.setInt(i, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(new Member(rs.getString(1), rs.getTimestamp(2).toInstant()));
                }
            }
        }
        return members;
    }

    /** A page of a segment's enter/exit log, oldest first after {@code afterId}; one more than {@code limit}. */
    public static List<Change> changes(Connection c, String segmentId, long afterId, int limit, boolean newestFirst)
            throws SQLException {
        String sql = "SELECT id, row_key, change, at, run_id FROM membership_change WHERE segment_id = ? AND id "
                + (newestFirst ? "< ?" : "> ?") + " ORDER BY id " + (newestFirst ? "DESC" : "") + " LIMIT ?";
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, segmentId);
            ps.setLong(2, newestFirst && afterId == 0 ? Long.MAX_VALUE : afterId);
            ps.setInt(3, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            rs.getLong(5)));
                }
            }
        }
        return changes;
    }
}
