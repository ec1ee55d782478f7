package io.segmatch.activation.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The numbers of acknowledged sets (a segment at a destination) and of lists. The acknowledged
 * people ({@code activation_member}) are keyed by their set's number and their row key: a set is
 * numbered when it first acknowledges someone, after every set before it, so a first
 * acknowledgement writes at the end of the key index (where PostgreSQL appends without a descent
 * from the root) and each person's key carries four bytes instead of a segment id and a
 * destination.
 */
public final class ActivationSets {

    /** The number no set has: statements bound with it find nobody. */
    public static final int NONE = 0;

    private ActivationSets() {
    }

    /** The set's number, or {@link #NONE} while the segment has acknowledged nobody at the destination. */
    public static int id(Connection c, String segmentId, Destination destination) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM activation_set WHERE segment_id = ? "
                + "AND destination = ?")) {
            ps.setString(1, segmentId);
            ps.setString(2, destination.apiName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : NONE;
            }
        }
    }

    /** The set's number, numbering it now if it has none. */
    public static int ensure(Connection c, String segmentId, Destination destination) throws SQLException {
        int id = id(c, segmentId, destination);
        if (id != NONE) {
            return id;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO activation_set (segment_id, destination) "
                + "VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, segmentId);
            ps.setString(2, destination.apiName());
            ps.executeUpdate();
        }
        return id(c, segmentId, destination);
    }

    /** The list's number, or {@link #NONE} when nobody was acknowledged in it. */
    public static int listId(Connection c, String userList) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM activation_list WHERE user_list = ?")) {
            ps.setString(1, userList);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : NONE;
            }
        }
    }

    /** The list's number, numbering it now if it has none. */
    public static int ensureList(Connection c, String userList) throws SQLException {
        int id = listId(c, userList);
        if (id != NONE) {
            return id;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO activation_list (user_list) VALUES (?) "
                + "ON CONFLICT DO NOTHING")) {
            ps.setString(1, userList);
            ps.executeUpdate();
        }
        return listId(c, userList);
    }

    /** Whether the set holds anyone. */
    public static boolean holdsAny(Connection c, int setId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM activation_member WHERE set_id = ?)")) {
            ps.setInt(1, setId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
