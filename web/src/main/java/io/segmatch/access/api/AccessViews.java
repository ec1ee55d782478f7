package io.segmatch.access.api;

import io.segmatch.access.store.ApiTokens;
import io.segmatch.access.store.AuditLog;
import io.segmatch.access.store.Users;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

import java.time.Instant;

/**
 * Users, tokens, the caller and audit entries as the API shows them, bound to JSON with
 * JSON-B: never a password hash or a token's digest. Each record fixes its fields' order and
 * writes absent times as {@code null}, as the API always has.
 */
final class AccessViews {

    private AccessViews() {
    }

    @JsonbNillable
    @JsonbPropertyOrder({"username", "role", "disabled", "createdAt", "lastLoginAt"})
    public record User(String username, String role, boolean disabled, Instant createdAt, Instant lastLoginAt) {
        static User of(Users.User u) {
            return new User(u.username(), u.role().apiName(), u.disabled(), u.createdAt(), u.lastLoginAt());
        }
    }

    /** The caller: the role is what this request may do (a token may carry less than its owner's). */
    @JsonbNillable
    @JsonbPropertyOrder({"username", "role", "createdAt", "mustChangePassword"})
    public record Me(String username, String role, Instant createdAt, boolean mustChangePassword) {
    }

    @JsonbNillable
    @JsonbPropertyOrder({"id", "name", "role", "owner", "createdAt", "expiresAt", "lastUsedAt"})
    public record Token(String id, String name, String role, String owner, Instant createdAt, Instant expiresAt,
                        Instant lastUsedAt) {
        static Token of(ApiTokens.Token t) {
            return new Token(t.id(), t.name(), t.role().apiName(), t.owner(), t.createdAt(), t.expiresAt(), t.lastUsedAt());
        }
    }

    /** A token just made: its text, shown this once. */
    @JsonbNillable
    @JsonbPropertyOrder({"id", "name", "role", "owner", "createdAt", "expiresAt", "token"})
    public record NewToken(String id, String name, String role, String owner, Instant createdAt, Instant expiresAt,
                           String token) {
        static NewToken of(ApiTokens.Token t, String text) {
            return new NewToken(t.id(), t.name(), t.role().apiName(), t.owner(), t.createdAt(), t.expiresAt(), text);
        }
    }

    @JsonbNillable
    @JsonbPropertyOrder({"id", "at", "actor", "action", "target", "detail"})
    public record AuditEntry(long id, Instant at, String actor, String action, String target, String detail) {
        static AuditEntry of(AuditLog.Entry e) {
            return new AuditEntry(e.id(), e.at(), e.actor(), e.action(), e.target(), e.detail());
        }
    }
}
