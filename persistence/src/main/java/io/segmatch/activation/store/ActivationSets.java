package io.segmatch.activation.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The numbers of acknowledged sets (a segment at a destination) and of lists. The acknowledged
 * people ({@code activation_member}) are keyed by their set's number and their row key: a set is
 * numbered when it first acknowledges someone, after every set before it, so a first
 * acknowledgement writes at the end of the key index (where PostgreSQL appends without a descent
 * from the root) and each person's key carries four bytes instead of a segment id and a
 * destination.
 *
 * <p>A set also keeps a bound for the people due to be added again (added over 500 days ago):
 * everyone in it not yet planned to be added again was added at or after its
 * {@code added_since}. An acknowledgement never moves the bound back (it adds people now); a
 * plan that finds the bound old enough takes the people added before its cut-off and moves the
 * bound to the oldest of the others. The people due are so found without an index on the time
 * each person was added, which every acknowledgement had to extend person by person.
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

    /**
     * The set acknowledged people at {@code at}: its bound (see above) becomes {@code at} if it
     * had none, and never moves forward here.
     */
    public static void acknowledged(Connection c, int setId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE activation_set SET added_since = "
                + "least(coalesce(added_since, ?), ?) WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setInt(3, setId);
            ps.executeUpdate();
        }
    }

    /**
     * Whether people of the set may be due to be added again: its bound is before {@code before},
     * or unknown. False for {@link #NONE}.
     */
    public static boolean readdDue(Connection c, int setId, Instant before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT added_since IS NULL OR added_since < ? "
                + "FROM activation_set WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(before));
            ps.setInt(2, setId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * A plan at {@code now} took the set's people added before {@code before} (to be added
     * again): the bound moves to the oldest of the others, or to {@code now} if there are none.
     * One pass over the set's people, through its key.
     */
    public static void readdPlanned(Connection c, int setId, Instant before, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE activation_set SET added_since = coalesce("
                + "(SELECT min(added_at) FROM activation_member WHERE set_id = ? AND added_at >= ?), ?) WHERE id = ?")) {
            ps.setInt(1, setId);
            ps.setTimestamp(2, Timestamp.from(before));
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setInt(4, setId);
            ps.executeUpdate();
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
