package io.segmatch.access.api;

import io.segmatch.access.store.ApiTokens;
import io.segmatch.access.store.AuditLog;
import io.segmatch.access.store.Users;
import jakarta.json.JsonObjectBuilder;

import static io.segmatch.shared.api.JsonTimes.time;
import static io.segmatch.shared.json.Jsons.JSON;

/** Users, tokens and audit entries as the API shows them: never a password hash or a token's digest. */
final class AccessJson {

    private AccessJson() {
    }

    static JsonObjectBuilder user(Users.User u) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("username", u.username()).add("role", u.role().apiName())
                .add("disabled", u.disabled());
        time(b, "createdAt", u.createdAt());
        time(b, "lastLoginAt", u.lastLoginAt());
        return b;
    }

    static JsonObjectBuilder token(ApiTokens.Token t) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("id", t.id()).add("name", t.name())
                .add("role", t.role().apiName()).add("owner", t.owner());
        time(b, "createdAt", t.createdAt());
        time(b, "expiresAt", t.expiresAt());
        time(b, "lastUsedAt", t.lastUsedAt());
        return b;
    }

    static JsonObjectBuilder entry(AuditLog.Entry e) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("id", e.id());
        time(b, "at", e.at());
        nullable(b, "actor", e.actor());
        b.add("action", e.action());
        nullable(b, "target", e.target());
        nullable(b, "detail", e.detail());
        return b;
    }

    private static void nullable(JsonObjectBuilder b, String name, String value) {
        if (value == null) {
            b.addNull(name);
        } else {
            b.add(name, value);
        }
    }
}
