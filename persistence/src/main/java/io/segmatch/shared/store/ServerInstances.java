package io.segmatch.shared.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The running servers, told apart by a session-level advisory lock each holds for its lifetime
 * (key pair {@link #LOCK_CLASS}, instance id). A server that dies takes its database session
 * with it, and the lock with the session: whoever can take the lock knows its owner is gone.
 */
public final class ServerInstances {

    /** The first half of every instance lock's key (the second is the instance id). */
    public static final int LOCK_CLASS = 0x5E6A;

    /**
     * SQL that is true when the instance in column {@code owner} is gone: its lock can be taken
     * (for the rest of the caller's transaction only). A null owner (a run recorded before
     * servers registered) is never known to be gone this way.
     */
    public static String ownerGone(String owner) {
        return "(" + owner + " IS NOT NULL AND pg_try_advisory_xact_lock(" + LOCK_CLASS + ", " + owner + "))";
    }

    private ServerInstances() {
    }

    /**
     * Registers a server start and takes its lock on this connection (autocommit, kept open by
     * the caller for the server's lifetime); returns the instance id.
     */
    public static int register(Connection c, String host) throws SQLException {
        int id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO server_instance (host) VALUES (?) RETURNING id")) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getInt(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, id);
            ps.execute();
        }
        return id;
    }

    /** Whether this connection still holds the instance's lock (false once the session was lost). */
    public static boolean holds(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                + "AND pid = pg_backend_pid() AND classid = ? AND objid = ? AND objsubid = 2 AND granted)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Releases the lock before the connection goes back to a pool. */
    public static void release(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, id);
            ps.execute();
        }
    }
}
