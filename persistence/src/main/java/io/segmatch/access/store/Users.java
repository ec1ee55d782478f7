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

/** The {@code app_user} table. Usernames are passed in their stored (lower-case) form. */
public final class Users {

    private Users() {
    }

    /** A user; {@code passwordChangedAt}: sessions that began before it are over. */
    public record User(String username, Role role, String passwordHash, boolean mustChangePassword, boolean disabled,
                       Instant createdAt, Instant lastLoginAt, Instant passwordChangedAt) {
    }

    private static final String COLUMNS =
            "username, role, password_hash, must_change_password, disabled, created_at, last_login_at, password_changed_at";

    public static long count(Connection c) throws SQLException {
        try (var ps = c.prepareStatement("SELECT count(*) FROM app_user"); var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static Optional<User> find(Connection c, String username) throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM app_user WHERE username = ?")) {
            ps.setString(1, username);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public static List<User> list(Connection c) throws SQLException {
        List<User> users = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM app_user ORDER BY username");
             var rs = ps.executeQuery()) {
            while (rs.next()) {
                users.add(read(rs));
            }
        }
        return users;
    }

    /** Inserts a user; false when the name is taken. */
    public static boolean create(Connection c, String username, Role role, String passwordHash, boolean mustChange,
                                 Instant now) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO app_user (username, role, password_hash, must_change_password,"
                + " disabled, created_at, password_changed_at) VALUES (?, ?, ?, ?, false, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, username);
            ps.setString(2, role.apiName());
            ps.setString(3, passwordHash);
            ps.setBoolean(4, mustChange);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setTimestamp(6, Timestamp.from(now));
            return ps.executeUpdate() == 1;
        }
    }

    /** Creates the first user only when the table is empty (several instances may start at once). */
    public static boolean createFirst(Connection c, String username, Role role, String passwordHash, boolean mustChange,
                                      Instant now) throws SQLException {
        try (var lock = c.prepareStatement("LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE")) {
            lock.execute();
        }
        return count(c) == 0 && create(c, username, role, passwordHash, mustChange, now);
    }

    /** The enabled admins, locked until the transaction ends (so two demotions cannot both pass the last-admin check). */
    public static List<String> lockEnabledAdmins(Connection c) throws SQLException {
        List<String> admins = new ArrayList<>();
        try (var ps = c.prepareStatement(
                "SELECT username FROM app_user WHERE role = 'admin' AND NOT disabled ORDER BY username FOR UPDATE");
             var rs = ps.executeQuery()) {
            while (rs.next()) {
                admins.add(rs.getString(1));
            }
        }
        return admins;
    }

    public static void setRole(Connection c, String username, Role role) throws SQLException {
        update(c, "UPDATE app_user SET role = ? WHERE username = ?", role.apiName(), username);
    }

    public static void setDisabled(Connection c, String username, boolean disabled) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE app_user SET disabled = ? WHERE username = ?")) {
            ps.setBoolean(1, disabled);
            ps.setString(2, username);
            ps.executeUpdate();
        }
    }

    public static void setPassword(Connection c, String username, String passwordHash, boolean mustChange, Instant now)
            throws SQLException {
        try (var ps = c.prepareStatement("UPDATE app_user SET password_hash = ?, must_change_password = ?,"
                + " password_changed_at = ? WHERE username = ?")) {
            ps.setString(1, passwordHash);
            ps.setBoolean(2, mustChange);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, username);
            ps.executeUpdate();
        }
    }

    public static void recordLogin(Connection c, String username, Instant now) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE app_user SET last_login_at = ? WHERE username = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, username);
            ps.executeUpdate();
        }
    }

    public static boolean delete(Connection c, String username) throws SQLException {
        try (var ps = c.prepareStatement("DELETE FROM app_user WHERE username = ?")) {
            ps.setString(1, username);
            return ps.executeUpdate() == 1;
        }
    }

    private static void update(Connection c, String sql, String value, String username) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            ps.setString(2, username);
            ps.executeUpdate();
        }
    }

    private static User read(ResultSet rs) throws SQLException {
        Timestamp last = rs.getTimestamp(7);
        return new User(rs.getString(1), Role.of(rs.getString(2)).orElseThrow(), rs.getString(3), rs.getBoolean(4),
                rs.getBoolean(5), rs.getTimestamp(6).toInstant(), last == null ? null : last.toInstant(),
                rs.getTimestamp(8).toInstant());
    }
}
