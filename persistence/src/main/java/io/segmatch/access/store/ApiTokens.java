package io.segmatch.access.store;

import io.segmatch.access.control.Role;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code api_token} table: tokens by the SHA-256 of their text, never the text itself. */
public final class ApiTokens {

    private ApiTokens() {
    }

    public record Token(String id, String name, Role role, String owner, Instant createdAt, Instant expiresAt,
                       Instant lastUsedAt) {
    }

    /** A token found by its digest, with its owner's current state. */
    public record Presented(Token token, Role ownerRole, boolean ownerDisabled) {
    }

    private static final String COLUMNS = "t.id, t.name, t.role, t.owner, t.created_at, t.expires_at, t.last_used_at";

    public static void create(Connection c, Token token, byte[] sha256) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO api_token (id, owner, name, role, token_sha256, created_at,"
                + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, token.id());
            ps.setString(2, token.owner());
            ps.setString(3, token.name());
            ps.setString(4, token.role().apiName());
            ps.setBytes(5, sha256);
            ps.setTimestamp(6, Timestamp.from(token.createdAt()));
            ps.setTimestamp(7, token.expiresAt() == null ? null : Timestamp.from(token.expiresAt()));
            ps.executeUpdate();
        }
    }

    public static Optional<Presented> findByDigest(Connection c, byte[] sha256) throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + ", u.role, u.disabled FROM api_token t"
                + " JOIN app_user u ON u.username = t.owner WHERE t.token_sha256 = ?")) {
            ps.setBytes(1, sha256);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Presented(read(rs), Role.of(rs.getString(8)).orElseThrow(), rs.getBoolean(9)));
            }
        }
    }

    /** One owner's tokens, or everyone's when {@code owner} is null; newest first. */
    public static List<Token> list(Connection c, String owner) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM api_token t" + (owner == null ? "" : " WHERE t.owner = ?")
                + " ORDER BY t.created_at DESC, t.id";
        List<Token> tokens = new ArrayList<>();
        try (var ps = c.prepareStatement(sql)) {
            if (owner != null) {
                ps.setString(1, owner);
            }
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    tokens.add(read(rs));
                }
            }
        }
        return tokens;
    }

    public static Optional<Token> find(Connection c, String id) throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_token t WHERE t.id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public static boolean delete(Connection c, String id) throws SQLException {
        try (var ps = c.prepareStatement("DELETE FROM api_token WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Revokes every token of a user; returns how many there were. */
    public static int deleteOwnedBy(Connection c, String owner) throws SQLException {
        try (var ps = c.prepareStatement("DELETE FROM api_token WHERE owner = ?")) {
            ps.setString(1, owner);
            return ps.executeUpdate();
        }
    }

    /** Records a use, at most once a minute per token (the update is skipped within the minute). */
    public static void touch(Connection c, String id, Instant now) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE api_token SET last_used_at = ? WHERE id = ?"
                + " AND (last_used_at IS NULL OR last_used_at < ?)")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, id);
            ps.setTimestamp(3, Timestamp.from(now.minusSeconds(60)));
            ps.executeUpdate();
        }
    }

    private static Token read(ResultSet rs) throws SQLException {
        Timestamp expires = rs.getTimestamp(6);
        Timestamp used = rs.getTimestamp(7);
        return new Token(rs.getString(1), rs.getString(2), Role.of(rs.getString(3)).orElseThrow(), rs.getString(4),
                rs.getTimestamp(5).toInstant(), expires == null ? null : expires.toInstant(),
                used == null ? null : used.toInstant());
    }
}
