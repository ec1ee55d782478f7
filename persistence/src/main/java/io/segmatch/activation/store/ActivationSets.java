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

    private static final String SET = "SELECT id FROM activation_set WHERE segment_id = ? AND destination = ?";
    private static final String NEW_SET = "INSERT INTO activation_set (segment_id, destination) VALUES (?, ?) "
            + "ON CONFLICT DO NOTHING";
    private static final String LIST = "SELECT id FROM activation_list WHERE user_list = ?";
    private static final String NEW_LIST = "INSERT INTO activation_list (user_list) VALUES (?) ON CONFLICT DO NOTHING";

    private ActivationSets() {
    }

    /** The set's number, or {@link #NONE} while the segment has acknowledged nobody at the destination. */
    public static int id(Connection c, String segmentId, Destination destination) throws SQLException {
        return number(c, SET, segmentId, destination.apiName());
    }

    /** The set's number, numbering it now if it has none. */
    public static int ensure(Connection c, String segmentId, Destination destination) throws SQLException {
        return numbered(c, SET, NEW_SET, segmentId, destination.apiName());
    }

    /** The list's number, or {@link #NONE} when nobody was acknowledged in it. */
    public static int listId(Connection c, String userList) throws SQLException {
        return number(c, LIST, userList);
    }

    /** The list's number, numbering it now if it has none. */
    public static int ensureList(Connection c, String userList) throws SQLException {
        return numbered(c, LIST, NEW_LIST, userList);
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

    /** The number {@code lookup} finds, inserting it by {@code insert} (same parameters) first if there is none. */
    private static int numbered(Connection c, String lookup, String insert, String... params) throws SQLException {
        int id = number(c, lookup, params);
        if (id != NONE) {
            return id;
        }
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            bind(ps, params);
            ps.executeUpdate();
        }
        // another transaction's insert of the same name, committed meanwhile, is found here too
        return number(c, lookup, params);
    }

    private static int number(Connection c, String lookup, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lookup)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : NONE;
            }
        }
    }

    private static void bind(PreparedStatement ps, String... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setString(i + 1, params[i]);
        }
    }
}
