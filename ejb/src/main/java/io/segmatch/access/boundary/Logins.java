package io.segmatch.access.boundary;

import io.segmatch.access.control.PasswordHash;
import io.segmatch.access.control.Tokens;
import io.segmatch.access.control.Usernames;
import io.segmatch.access.store.ApiTokens;
import io.segmatch.access.store.LoginAttempts;
import io.segmatch.access.store.Users.User;
import io.segmatch.access.store.Users;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import io.segmatch.shared.store.Transactions.Work;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Who a request is: a username and password (with the lockout), a bearer token, or the user of
 * a console session as they are now (disabled or deleted since: nobody).
 */
@Stateless
public class Logins {

    private static final Semaphore HASHING = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);

    /** The audit log's name for a login attempt with a name no user has. */
    public static final String UNKNOWN = "(unknown user)";

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @EJB
    AuditTrail audit;

    /**
     * Checks a username and password. Each step commits on its own (no transaction): the
     * attempt is counted before the slow hash runs, so parallel guesses meet the limit too.
     *
     * @param via how the password came ({@code form} or {@code basic}), for the audit log
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public LoginResult login(String rawUsername, String password, String via) {
        String username = rawUsername == null ? "" : Usernames.normalize(rawUsername.strip());
        // counted under the name's digest: what was typed as a name (a password, sometimes) is kept nowhere
        String key = HexFormat.of().formatHex(Tokens.sha256(username));
        Optional<User> user = Usernames.valid(username) ? query(c -> Users.find(c, username)) : Optional.empty();
        // the audit log names existing users only, never what else was typed
        String who = user.map(User::username).orElse(UNKNOWN);
        LoginAttempts.Attempt attempt = query(c -> LoginAttempts.begin(c, key, Instant.now()));
        if (attempt.locked()) {
            // attempts on a locked name are not checked, nor logged one by one (the lock was)
            return new LoginResult.Locked(attempt.lockedUntil());
        }
        boolean ok;
        try {
            // the slow hash runs on at most one thread per core: a flood of logins waits here
            // instead of starving the rest of the application
            if (!HASHING.tryAcquire(10, TimeUnit.SECONDS)) {
                query(c -> {
                    LoginAttempts.forget(c, key);
                    return null;
                });
                return new LoginResult.Busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LoginResult.Busy();
        }
        try {
            if (user.isEmpty() || password == null) {
                PasswordHash.verifyNothing(password == null ? "" : password);
                ok = false;
            } else {
                ok = PasswordHash.verify(password, user.get().passwordHash()) && !user.get().disabled();
            }
        } finally {
            HASHING.release();
        }
        if (!ok) {
            Instant until = query(c -> LoginAttempts.failed(c, key, attempt, Instant.now()));
            audit.recordAs(who, "login_failed", who, "via " + via + (user.isPresent() && user.get().disabled() ? "; user disabled" : ""));
            if (until != null) {
                audit.recordAs(who, "login_locked", who, "via " + via + "; " + LoginAttempts.MAX_FAILURES
                        + " failures in a row; locked until " + until.truncatedTo(ChronoUnit.SECONDS));
                return new LoginResult.Locked(until);
            }
            return new LoginResult.Refused();
        }
        User u = user.get();
        query(c -> {
            LoginAttempts.succeeded(c, key);
            Users.recordLogin(c, u.username(), Instant.now());
            return null;
        });
        if ("form".equals(via)) {
            audit.recordAs(u.username(), "login", u.username(), "via " + via);
        }
        return new LoginResult.Accepted(new Caller(u.username(), u.role(), u.mustChangePassword()));
    }

    /** The caller a bearer token stands for: none when unknown, expired, or its owner is disabled. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Optional<Caller> bearer(String token) {
        if (!Tokens.plausible(token)) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        return query(c -> {
            Optional<ApiTokens.Presented> found = ApiTokens.findByDigest(c, Tokens.sha256(token));
            if (found.isEmpty() || found.get().ownerDisabled()) {
                return Optional.empty();
            }
            ApiTokens.Token t = found.get().token();
            if (t.expiresAt() != null && !t.expiresAt().isAfter(now)) {
                return Optional.empty();
            }
            if (t.lastUsedAt() == null || t.lastUsedAt().isBefore(now.minusSeconds(60))) {
                ApiTokens.touch(c, t.id(), now);
            }
            return Optional.of(new Caller(t.owner(), t.role().atMost(found.get().ownerRole()), false));
        });
    }

    /**
     * The current state of a user logged in since {@code since}: none when deleted or disabled
     * since, or when their password changed after the login (a changed password ends every
     * other session).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<Caller> current(String username, Instant since) {
        return query(c -> Users.find(c, username)).filter(u -> !u.disabled() && !u.passwordChangedAt().isAfter(since))
                .map(u -> new Caller(u.username(), u.role(), u.mustChangePassword()));
    }

    private <T> T query(Work<T> work) {
        return Jdbc.run(dataSource, work);
    }
}
