package io.segmatch.activation.store;

import io.segmatch.shared.secrets.Secrets;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The Google Ads connection made in the console: the refresh token, encrypted at rest, and
 * whether Google refused it ({@code invalid_grant}: the console asks for a reconnect).
 */
public final class GoogleAdsConnection {

    private GoogleAdsConnection() {
    }

    /** The connection's state for the API and console (never the token). */
    public record State(boolean stored, boolean needsReconnect, String problem, Instant connectedAt) {
    }

    public static State state(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT refresh_token IS NOT NULL, needs_reconnect, problem, connected_at "
                + "FROM google_ads_connection WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new State(false, false, null, null);
            }
            return new State(rs.getBoolean(1), rs.getBoolean(2), rs.getString(3),
                    rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant());
        }
    }

    /** The stored refresh token, decrypted; null when none is stored or Google refused it. */
    public static String refreshToken(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT refresh_token FROM google_ads_connection "
                + "WHERE id = 1 AND NOT needs_reconnect"); ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || rs.getBytes(1) == null) {
                return null;
            }
            return secrets().decrypt(rs.getBytes(1));
        }
    }

    /** Stores a new refresh token (encrypted) from the console's connect flow. */
    public static void connect(Connection c, String refreshToken) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO google_ads_connection (id, refresh_token, connected_at, "
                + "needs_reconnect, problem, updated_at) VALUES (1, ?, now(), false, NULL, now()) ON CONFLICT (id) DO UPDATE "
                + "SET refresh_token = excluded.refresh_token, connected_at = now(), needs_reconnect = false, problem = NULL, "
                + "updated_at = now()")) {
            ps.setBytes(1, secrets().encrypt(refreshToken));
            ps.executeUpdate();
        }
    }

    /** Forgets the stored refresh token; true when one was stored. */
    public static boolean disconnect(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE google_ads_connection SET refresh_token = NULL, "
                + "connected_at = NULL, needs_reconnect = false, problem = NULL, updated_at = now() "
                + "WHERE id = 1 AND refresh_token IS NOT NULL")) {
            return ps.executeUpdate() == 1;
        }
    }

    /** Google refused the refresh token: the console shows a reconnect prompt. */
    public static void needsReconnect(Connection c, String problem) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO google_ads_connection (id, needs_reconnect, problem, "
                + "updated_at) VALUES (1, true, ?, now()) ON CONFLICT (id) DO UPDATE SET needs_reconnect = true, "
                + "problem = excluded.problem, updated_at = now()")) {
            ps.setString(1, problem);
            ps.executeUpdate();
        }
    }

    /** Records a fresh OAuth {@code state} for the consent page (and forgets those older than ten minutes). */
    public static void issueState(Connection c, String state) throws SQLException {
        try (var ps = c.prepareStatement("DELETE FROM oauth_state WHERE created_at < now() - interval '10 minutes'")) {
            ps.executeUpdate();
        }
        try (var ps = c.prepareStatement("INSERT INTO oauth_state (state, created_at) VALUES (?, now())")) {
            ps.setString(1, state);
            ps.executeUpdate();
        }
    }

    /** Whether {@code state} was issued in the last ten minutes and not used yet; it is used up. */
    public static boolean consumeState(Connection c, String state) throws SQLException {
        try (var ps = c.prepareStatement("DELETE FROM oauth_state WHERE state = ? AND created_at >= now() - interval '10 minutes'")) {
            ps.setString(1, state);
            return ps.executeUpdate() == 1;
        }
    }

    public static final String NO_KEY = "no secret key is configured: set segmatch.secret-key (32 random bytes, base64) "
            + "before connecting Google Ads";

    /**
     * Whether a key is configured ({@code segmatch.secret-key}, or a {@code segmatch.secret-key-file}
     * to generate it into). Without one nothing is stored: a key made up per host would be lost
     * with the host, or sit beside the database in its backups.
     */
    public static boolean keyConfigured() {
        var config = ConfigProvider.getConfig();
        return config.getOptionalValue("segmatch.secret-key", String.class).filter(k -> !k.isBlank()).isPresent()
                || config.getOptionalValue("segmatch.secret-key-file", String.class).filter(k -> !k.isBlank()).isPresent();
    }

    /** The key from {@code segmatch.secret-key}, or generated once into {@code segmatch.secret-key-file}. */
    static Secrets secrets() {
        var config = ConfigProvider.getConfig();
        String key = config.getOptionalValue("segmatch.secret-key", String.class).orElse(null);
        if (!keyConfigured()) {
            throw new IllegalStateException(NO_KEY);
        }
        Path file = Path.of(config.getOptionalValue("segmatch.secret-key-file", String.class).orElse("unused"));
        try {
            return Secrets.of(key, file);
        } catch (IOException e) {
            throw new IllegalStateException("could not read or create the secret key file " + file + ": " + e.getMessage(), e);
        }
    }
}
