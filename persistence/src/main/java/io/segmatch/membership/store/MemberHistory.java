package io.segmatch.membership.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A segment's member count over time, from its enter/exit log: per run that changed it, how
 * many entered and left and the count after it. The newest runs are read with the current
 * count in one statement, and the counts before them are worked out backwards from it.
 */
public final class MemberHistory {

    private MemberHistory() {
    }

    /** One run that changed the segment. */
    public record Point(long runId, Instant at, long entered, long exited, long memberCount) {
    }

    /** The newest {@code limit} runs that changed the segment, oldest first. */
    public static List<Point> history(Connection c, String segmentId, int limit) throws SQLException {
        List<Point> newestFirst = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("WITH runs AS ("
                + "  SELECT run_id, min(at) AS at, "
                + "    coalesce(sum(cardinality(row_keys)) FILTER (WHERE change = 'enter'), 0) AS entered, "
                + "    coalesce(sum(cardinality(row_keys)) FILTER (WHERE change = 'exit'), 0) AS exited "
                + "  FROM membership_change WHERE segment_id = ? GROUP BY run_id ORDER BY run_id DESC LIMIT ?) "
                + "SELECT r.run_id, r.at, r.entered, r.exited, s.member_count FROM runs r CROSS JOIN segment s "
                + "WHERE s.id = ? ORDER BY r.run_id DESC")) {
            ps.setString(1, segmentId);
            ps.setInt(2, limit);
            ps.setString(3, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                long after = -1;
                while (rs.next()) {
                    if (after < 0) {
                        after = rs.getLong(5);
                    }
                    long entered = rs.getLong(3);
                    long exited = rs.getLong(4);
                    newestFirst.add(new Point(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), entered, exited,
                            after));
                    after = after - entered + exited;
                }
            }
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }
}
