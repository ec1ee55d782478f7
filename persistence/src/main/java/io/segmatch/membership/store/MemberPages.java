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
     * is read to tell whether a next page exists. Walks the dataset's memberships in key
     * order, so a page of a small segment in a big dataset reads further.
     */
    public static List<Member> members(Connection c, String segmentId, String afterKey, String prefix, int limit)
            throws SQLException {
        String sql = "SELECT m.row_key, m.since[array_position(m.segments, s.number)] FROM segment s "
                + "JOIN dataset d ON d.id = s.dataset_id JOIN row_membership m ON m.dataset = d.number "
                + "WHERE s.id = ? AND s.member_count > 0 "
                + "AND m.segments @> ARRAY[s.number] "
                + (afterKey == null ? "" : "AND m.row_key > ? ")
                + (prefix == null ? "" : "AND starts_with(m.row_key, ?) ")
                + "ORDER BY m.row_key LIMIT ?";
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
                    members.add(new Member(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))));
                }
            }
        }
        return members;
    }

    /**
     * A change's id: its batch's id × this + its place in the batch (1-based), so that ids
     * follow the log's order and a page can end inside a batch.
     */
    static final long PER_BATCH = 100_000;

    /**
     * A page of a segment's enter/exit log after {@code afterId} (oldest first; newest first
     * before it when {@code newestFirst}, 0 meaning from the newest); one more than {@code limit}.
     */
    public static List<Change> changes(Connection c, String segmentId, long afterId, int limit, boolean newestFirst)
            throws SQLException {
        long from = newestFirst && afterId == 0 ? Long.MAX_VALUE : afterId;
        String order = newestFirst ? " DESC" : "";
        String sql = "SELECT b.id * " + PER_BATCH + " + k.n AS id, k.key, b.change, b.at, b.run_id "
                + "FROM membership_change b CROSS JOIN LATERAL unnest(b.row_keys) WITH ORDINALITY AS k(key, n) "
                + "WHERE b.segment_id = ? AND b.id " + (newestFirst ? "<= ?" : ">= ?")
                + " AND b.id * " + PER_BATCH + " + k.n " + (newestFirst ? "< ?" : "> ?")
                + " ORDER BY b.id" + order + ", k.n" + order + " LIMIT ?";
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, segmentId);
            ps.setLong(2, from == Long.MAX_VALUE ? Long.MAX_VALUE : from / PER_BATCH);
            ps.setLong(3, from);
            ps.setInt(4, limit + 1);
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
