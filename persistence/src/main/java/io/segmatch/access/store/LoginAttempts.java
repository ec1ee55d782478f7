package io.segmatch.access.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * Failed logins per username. An attempt is counted before the password is checked, so
 * parallel guesses cannot get past the limit while the slow hash runs; a success clears it.
 */
public final class LoginAttempts {

    public static final int MAX_FAILURES = 5;
    public static final Duration LOCK = Duration.ofMinutes(15);

    private LoginAttempts() {
    }

    /** The attempt's number since the last success, or the end of a lock that is in force. */
    public record Attempt(int number, Instant lockedUntil) {
        public boolean locked() {
            return lockedUntil != null;
        }
    }

    /** Counts an attempt; a lock that has run out starts the count again. */
    public static Attempt begin(Connection c, String username, Instant now) throws SQLException {
        try (var ps = c.prepareStatement("""
                INSERT INTO login_attempt AS a (username, failures, locked_until, last_at) VALUES (?, 1, NULL, ?)
                ON CONFLICT (username) DO UPDATE SET
                  failures = CASE WHEN a.locked_until IS NOT NULL AND a.locked_until <= excluded.last_at THEN 1
                                  WHEN a.locked_until IS NOT NULL THEN a.failures
                                  ELSE a.failures + 1 END,
                  locked_until = CASE WHEN a.locked_until <= excluded.last_at THEN NULL ELSE a.locked_until END,
                  last_at = excluded.last_at
                RETURNING failures, locked_until""")) {
            ps.setString(1, username);
            ps.setTimestamp(2, Timestamp.from(now));
            try (var rs = ps.executeQuery()) {
                rs.next();
                Timestamp until = rs.getTimestamp(2);
                int number = rs.getInt(1);
                if (until == null && number > MAX_FAILURES) {
                    // more attempts than allowed arrived at once: lock as if the limit were reached
                    until = Timestamp.from(now.plus(LOCK));
                    lock(c, username, until.toInstant());
                }
                return new Attempt(number, until == null ? null : until.toInstant());
            }
        }
    }

    /** Records that the attempt failed; returns the lock's end when this failure locks the username. */
    public static Instant failed(Connection c, String username, Attempt attempt, Instant now) throws SQLException {
        if (attempt.number() >= MAX_FAILURES) {
            Instant until = now.plus(LOCK);
            lock(c, username, until);
            return until;
        }
        return null;
    }

    /** An attempt that was never checked (the server was too busy) does not count. */
    public static void forget(Connection c, String username) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE login_attempt SET failures = failures - 1 WHERE username = ? "
                + "AND failures > 0 AND locked_until IS NULL")) {
            ps.setString(1, username);
            ps.executeUpdate();
        }
    }

    public static void succeeded(Connection c, String username) throws SQLException {
        try (var ps = c.prepareStatement("DELETE FROM login_attempt WHERE username = ?")) {
            ps.setString(1, username);
            ps.executeUpdate();
        }
    }

    private static void lock(Connection c, String username, Instant until) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE login_attempt SET locked_until = ? WHERE username = ?")) {
            ps.setTimestamp(1, Timestamp.from(until));
            ps.setString(2, username);
            ps.executeUpdate();
        }
    }
}
