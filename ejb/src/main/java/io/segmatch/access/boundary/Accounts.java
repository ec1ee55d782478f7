package io.segmatch.access.boundary;

import io.segmatch.access.control.PasswordHash;
import io.segmatch.access.control.Role;
import io.segmatch.access.control.Tokens;
import io.segmatch.access.control.Usernames;
import io.segmatch.access.store.ApiTokens;
import io.segmatch.access.store.Users.User;
import io.segmatch.access.store.Users;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import io.segmatch.shared.store.Transactions.Work;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Managing users, passwords and API tokens (checking credentials is {@link Logins}'). Who may
 * call what is decided at the web boundary (roles); the rules that hold whoever calls (the
 * last admin, a token's role) are kept here.
 */
@Stateless
public class Accounts {

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @EJB
    AuditTrail audit;

    @EJB
    Logins logins;

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public User user(String username) {
        return query(c -> Users.find(c, Usernames.normalize(username)))
                .orElseThrow(() -> SegmatchException.notFound("user-not-found", "no user named " + username));
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<User> users() {
        return query(Users::list);
    }

    /**
     * Changes one's own password; the current one must be given, and is checked like a login
     * (a wrong one counts towards the lockout: a stolen session or token cannot guess it freely).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void changeOwnPassword(String username, String currentPassword, String newPassword) {
        User u = user(username);
        String weakness = PasswordHash.weakness(newPassword);
        if (weakness != null) {
            throw SegmatchException.invalid("invalid-password", "the new password " + weakness,
                    List.of(FieldError.field("password", weakness)));
        }
        if (currentPassword == null || currentPassword.isEmpty()) {
            // asked for before the check: a request without it is a mistake, not a failed login
            throw SegmatchException.invalid("invalid-password", "currentPassword is required to change the password",
                    List.of(FieldError.field("currentPassword", "required")));
        }
        LoginResult check = logins.login(u.username(), currentPassword, "password change");
        if (check instanceof LoginResult.Locked locked) {
            // as a login with the password would answer (429 with Retry-After)
            throw SegmatchException.later(SegmatchException.Kind.TOO_MANY, "login-locked",
                    "too many failed logins in a row for this username; try again after " + locked.until(),
                    Duration.between(Instant.now(), locked.until()));
        }
        if (check instanceof LoginResult.Busy) {
            throw SegmatchException.later(SegmatchException.Kind.BUSY, "login-busy",
                    "too many logins are being checked at once; try again in a few seconds", Duration.ofSeconds(4));
        }
        if (!(check instanceof LoginResult.Accepted)) {
            throw SegmatchException.forbidden("wrong-password", "the current password is not right");
        }
        String hash = PasswordHash.hash(newPassword);
        query(c -> {
            Users.setPassword(c, u.username(), hash, false, Instant.now());
            return null;
        });
        audit.recordAs(u.username(), "user_changed", u.username(), "password changed by the user");
        if (u.mustChangePassword()) {
            FirstAdministrator.forgetGeneratedPassword();
        }
    }

    public User createUser(String rawUsername, String password, String roleName) {
        List<FieldError> errors = new ArrayList<>();
        if (!Usernames.valid(rawUsername)) {
            errors.add(FieldError.field("username", "1 to 64 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'"));
        }
        String weakness = PasswordHash.weakness(password);
        if (weakness != null) {
            errors.add(FieldError.field("password", weakness));
        }
        Optional<Role> role = role(roleName, errors);
        if (!errors.isEmpty()) {
            throw SegmatchException.invalid("invalid-user", "the user cannot be created", errors);
        }
        String username = Usernames.normalize(rawUsername);
        String hash = PasswordHash.hash(password);
        boolean created = query(c -> Users.create(c, username, role.get(), hash, false, Instant.now()));
        if (!created) {
            throw SegmatchException.conflict("username-taken", "a user named " + username + " exists");
        }
        audit.record("user_created", username, "role " + role.get().apiName());
        return user(username);
    }

    /** Changes a user's role, disabled flag or password; the last enabled admin stays one. */
    public User changeUser(String rawUsername, String roleName, Boolean disabled, String password) {
        User u = user(rawUsername);
        List<FieldError> errors = new ArrayList<>();
        Optional<Role> role = roleName == null ? Optional.empty() : role(roleName, errors);
        String weakness = password == null ? null : PasswordHash.weakness(password);
        if (weakness != null) {
            errors.add(FieldError.field("password", weakness));
        }
        if (!errors.isEmpty()) {
            throw SegmatchException.invalid("invalid-user", "the user cannot be changed", errors);
        }
        String hash = password == null ? null : PasswordHash.hash(password);
        List<String> changes = new ArrayList<>();
        query(c -> {
            List<String> admins = Users.lockEnabledAdmins(c);
            boolean losesAdmin = admins.contains(u.username())
                    && ((role.isPresent() && role.get() != Role.ADMIN) || Boolean.TRUE.equals(disabled));
            if (losesAdmin && admins.size() == 1) {
                throw SegmatchException.conflict("last-admin", u.username() + " is the last enabled admin");
            }
            if (role.isPresent() && role.get() != u.role()) {
                Users.setRole(c, u.username(), role.get());
                changes.add("role " + u.role().apiName() + " -> " + role.get().apiName());
            }
            if (disabled != null && disabled != u.disabled()) {
                Users.setDisabled(c, u.username(), disabled);
                changes.add(disabled ? "disabled" : "enabled");
            }
            if (hash != null) {
                // a reset is for an account in doubt: its sessions end, and its tokens are revoked
                Users.setPassword(c, u.username(), hash, false, Instant.now());
                int revoked = ApiTokens.deleteOwnedBy(c, u.username());
                changes.add("password set by an admin; " + revoked + " token(s) revoked");
            }
            return null;
        });
        if (!changes.isEmpty()) {
            audit.record("user_changed", u.username(), String.join(", ", changes));
        }
        return user(u.username());
    }

    public void deleteUser(String rawUsername) {
        User u = user(rawUsername);
        query(c -> {
            List<String> admins = Users.lockEnabledAdmins(c);
            if (admins.size() == 1 && admins.contains(u.username())) {
                throw SegmatchException.conflict("last-admin", u.username() + " is the last enabled admin");
            }
            Users.delete(c, u.username());
            return null;
        });
        audit.record("user_deleted", u.username(), "its tokens were revoked with it");
    }

    /** A new token and its text, which is never shown again. */
    public record CreatedToken(ApiTokens.Token token, String text) {
    }

    public CreatedToken createToken(Caller owner, String name, String roleName, String expiresAt) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 200) {
            errors.add(FieldError.field("name", "1 to 200 characters"));
        }
        Role role = owner.role();
        if (roleName != null) {
            Optional<Role> asked = role(roleName, errors);
            if (asked.isPresent() && !owner.role().includes(asked.get())) {
                errors.add(FieldError.field("role", "at most your own role (" + owner.role().apiName() + ")"));
            } else if (asked.isPresent()) {
                role = asked.get();
            }
        }
        Instant expires = null;
        if (expiresAt != null) {
            try {
                expires = Instant.parse(expiresAt);
                if (!expires.isAfter(Instant.now())) {
                    errors.add(FieldError.field("expiresAt", "must be in the future"));
                }
            } catch (DateTimeParseException e) {
                errors.add(FieldError.field("expiresAt", "an ISO 8601 instant such as 2027-01-31T00:00:00Z"));
            }
        }
        if (!errors.isEmpty()) {
            throw SegmatchException.invalid("invalid-token", "the token cannot be created", errors);
        }
        if (query(c -> Users.find(c, owner.username())).isEmpty()) {
            throw SegmatchException.notFound("user-not-found", "no user named " + owner.username());
        }
        String text = Tokens.newToken();
        ApiTokens.Token token = new ApiTokens.Token(UUID.randomUUID().toString(), name.strip(), role, owner.username(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), expires, null);
        query(c -> {
            ApiTokens.create(c, token, Tokens.sha256(text));
            return null;
        });
        audit.record("token_created", token.id(), "name " + token.name() + ", role " + role.apiName()
                + (expires == null ? "" : ", expires " + expires));
        return new CreatedToken(token, text);
    }

    /** One user's tokens, or everyone's when {@code owner} is null. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ApiTokens.Token> tokens(String owner) {
        return query(c -> ApiTokens.list(c, owner));
    }

    /** Revokes a token: one's own, or any for an admin. */
    public void revokeToken(Caller caller, String id) {
        ApiTokens.Token token = query(c -> ApiTokens.find(c, id))
                .orElseThrow(() -> SegmatchException.notFound("token-not-found", "no token with id " + id));
        if (!token.owner().equals(caller.username()) && caller.role() != Role.ADMIN) {
            throw SegmatchException.forbidden("not-your-token", "only its owner or an admin may revoke this token");
        }
        query(c -> ApiTokens.delete(c, id));
        audit.record("token_revoked", id, "name " + token.name() + ", owner " + token.owner());
    }

    /** A role by its name, or empty with the field error added. */
    private static Optional<Role> role(String name, List<FieldError> errors) {
        Optional<Role> role = Role.of(name);
        if (role.isEmpty()) {
            errors.add(FieldError.field("role", "one of viewer, editor, admin"));
        }
        return role;
    }

    private <T> T query(Work<T> work) {
        return Jdbc.run(dataSource, work);
    }
}
