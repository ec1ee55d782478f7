package io.segmatch.activation.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The Meta connection made in the console: a system user's access token, encrypted at rest
 * with the same key as Google's refresh token; whether Meta refused it (error 190: the console
 * asks for a new token); and how long Meta's usage headers asked its syncs to wait.
 */
public final class MetaConnection {

    private MetaConnection() {
    }

    /**
     * The connection's state for the API and console (never the token).
     *
     * @param stored      a token was entered in the console
     * @param needsToken  Meta refused the token in use: a new one is needed
     * @param pausedUntil Meta's usage headers asked to wait until then (null: no pause)
     */
    public record State(boolean stored, boolean needsToken, String problem, Instant connectedAt, Instant pausedUntil) {
    }

    public static State state(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT access_token IS NOT NULL, needs_token, problem, connected_at, "
                + "paused_until FROM meta_connection WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new State(false, false, null, null, null);
            }
            return new State(rs.getBoolean(1), rs.getBoolean(2), rs.getString(3), instant(rs.getTimestamp(4)),
                    instant(rs.getTimestamp(5)));
        }
    }

    /** The stored access token, decrypted; null when none is stored. */
    public static String accessToken(Connection c) throws SQLException {
        return accessToken(c, "");
    }

    /**
     * The stored access token, decrypted (null when none is stored), with the connection's row
     * locked until the transaction ends: no token is stored meanwhile.
     */
    public static String lockedAccessToken(Connection c) throws SQLException {
        return accessToken(c, " FOR UPDATE");
    }

    private static String accessToken(Connection c, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT access_token FROM meta_connection WHERE id = 1" + lock);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || rs.getBytes(1) == null) {
                return null;
            }
            return GoogleAdsConnection.secrets().decrypt(rs.getBytes(1));
        }
    }

    /** Stores an access token (encrypted) entered in the console; a refusal recorded before is forgotten. */
    public static void connect(Connection c, String accessToken) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta_connection (id, access_token, connected_at, "
                + "needs_token, problem, updated_at) VALUES (1, ?, now(), false, NULL, now()) ON CONFLICT (id) DO UPDATE "
                + "SET access_token = excluded.access_token, connected_at = now(), needs_token = false, problem = NULL, "
                + "updated_at = now()")) {
            ps.setBytes(1, GoogleAdsConnection.secrets().encrypt(accessToken));
            ps.executeUpdate();
        }
    }

    /** Forgets the stored access token; true when one was stored. */
    public static boolean disconnect(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE meta_connection SET access_token = NULL, connected_at = NULL, "
                + "needs_token = false, problem = NULL, updated_at = now() WHERE id = 1 AND access_token IS NOT NULL")) {
            return ps.executeUpdate() == 1;
        }
    }

    /** Meta refused the token (or a permission, or the terms): shown on the console's Meta page until a new token is stored. */
    public static void problem(Connection c, boolean needsToken, String problem) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta_connection (id, needs_token, problem, updated_at) "
                + "VALUES (1, ?, ?, now()) ON CONFLICT (id) DO UPDATE SET needs_token = excluded.needs_token, "
                + "problem = excluded.problem, updated_at = now()")) {
            ps.setBoolean(1, needsToken);
            ps.setString(2, problem);
            ps.executeUpdate();
        }
    }

    /** A sync reached Meta without a refusal: a problem recorded before is over. */
    public static void healthy(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE meta_connection SET needs_token = false, problem = NULL, "
                + "updated_at = now() WHERE id = 1 AND (needs_token OR problem IS NOT NULL)")) {
            ps.executeUpdate();
        }
    }

    /** Meta asked to wait until {@code until} (its usage headers): Meta's syncs start again after it. */
    public static void pause(Connection c, Instant until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta_connection (id, paused_until, updated_at) "
                + "VALUES (1, ?, now()) ON CONFLICT (id) DO UPDATE SET paused_until = greatest(excluded.paused_until, "
                + "meta_connection.paused_until), updated_at = now()")) {
            ps.setTimestamp(1, Timestamp.from(until));
            ps.executeUpdate();
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
