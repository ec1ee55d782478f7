package io.segmatch.fake.meta;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One customer-list Custom Audience of the fake: its members (each person as the row of
 * hashes it was added with) and its upload sessions, with Meta's rules for {@code /users}:
 * a known multi-key schema, rows as long as the schema, at most 10,000 rows per request,
 * lower-case SHA-256 hex for every hashed key, sessions whose {@code batch_seq} counts from 1
 * and which end with {@code last_batch_flag}.
 */
final class FakeAudience {

    static final int MAX_ROWS = 10_000;
    static final Set<String> KEYS = Set.of("EXTERN_ID", "EMAIL", "PHONE", "GEN", "DOBY", "DOBM", "DOBD", "LN", "FN", "FI",
            "CT", "ST", "ZIP", "MADID", "COUNTRY");
    /** Keys Meta takes unhashed. */
    static final Set<String> PLAIN = Set.of("EXTERN_ID", "MADID");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    final String id;
    final String name;
    final String customerFileSource;
    private final Set<String> members = new LinkedHashSet<>();
    private final Map<Long, Session> sessions = new HashMap<>();
    private Instant changedAt;

    private static final class Session {
        int lastSeq;
        boolean finished;
        long received;
    }

    FakeAudience(String id, String name, String customerFileSource) {
        this.id = id;
        this.name = name;
        this.customerFileSource = customerFileSource;
    }

    synchronized int size() {
        return members.size();
    }

    synchronized Set<String> members() {
        return Set.copyOf(members);
    }

    /** When a request last added or removed someone (null: never). */
    synchronized Instant changedAt() {
        return changedAt;
    }

    /** Adds or removes the rows of a request; answers Meta's response, or throws its error. */
    synchronized JsonObject users(JsonObject body, boolean remove) {
        JsonObject payload = body.get("payload") instanceof JsonObject p ? p : null;
        if (payload == null) {
            throw new Refused(GraphErrors.invalidParameter("The parameter payload is required"));
        }
        List<String> schema = schema(payload.get("schema"));
        if (!(payload.get("data") instanceof JsonArray data)) {
            throw new Refused(GraphErrors.invalidParameter("Param data must be an array"));
        }
        if (data.size() > MAX_ROWS) {
            throw new Refused(GraphErrors.invalidParameter("The number of users in a request must be at most " + MAX_ROWS
                    + "; this one has " + data.size()));
        }
        long sessionId = 0;
        Session session = null;
        if (body.get("session") instanceof JsonObject s) {
            sessionId = s.getJsonNumber("session_id") == null ? 0 : s.getJsonNumber("session_id").longValue();
            int seq = s.getJsonNumber("batch_seq") == null ? 0 : s.getInt("batch_seq");
            if (sessionId <= 0) {
                throw new Refused(GraphErrors.invalidParameter("session_id must be a positive integer"));
            }
            session = sessions.computeIfAbsent(sessionId, k -> new Session());
            if (session.finished) {
                throw new Refused(GraphErrors.error(400, 2650, 1870159, "OAuthException",
                        "Session Finished: the session already received its last batch", false));
            }
            if (seq != session.lastSeq + 1) {
                throw new Refused(GraphErrors.error(400, 2650, 1870147, "OAuthException", "Invalid Upload Batch: batch_seq "
                        + seq + " where " + (session.lastSeq + 1) + " was expected", false));
            }
            session.lastSeq = seq;
            session.finished = s.getBoolean("last_batch_flag", false);
        }
        int invalid = 0;
        JsonObjectBuilder samples = Json.createObjectBuilder();
        int sampled = 0;
        for (JsonValue row : data) {
            List<String> values = row(row, schema.size());
            String reason = check(schema, values);
            if (reason != null) {
                invalid++;
                if (sampled++ < 100) {
                    samples.add(row.toString(), reason);
                }
                continue;
            }
            String person = String.join("|", values);
            if (remove ? members.remove(person) : members.add(person)) {
                changedAt = Instant.now();
            }
        }
        long received = data.size();
        if (session != null) {
            session.received += data.size();
            received = session.received;
        }
        return Json.createObjectBuilder().add("audience_id", id)
                .add("session_id", String.valueOf(sessionId != 0 ? sessionId : Math.abs(System.nanoTime())))
                .add("num_received", received).add("num_invalid_entries", invalid)
                .add("invalid_entry_samples", samples).build();
    }

    private static List<String> schema(JsonValue value) {
        List<String> schema;
        if (value instanceof JsonArray a) {
            schema = a.stream().map(v -> v instanceof jakarta.json.JsonString s ? s.getString() : v.toString()).toList();
        } else if (value instanceof jakarta.json.JsonString s) {
            schema = List.of(s.getString());
        } else {
            throw new Refused(GraphErrors.invalidParameter("The parameter schema is required"));
        }
        for (String key : schema) {
            if (!KEYS.contains(key)) {
                throw new Refused(GraphErrors.invalidParameter("Invalid schema key: " + key));
            }
        }
        if (schema.isEmpty() || Set.copyOf(schema).size() != schema.size()) {
            throw new Refused(GraphErrors.invalidParameter("The schema must name each key once"));
        }
        return schema;
    }

    private static List<String> row(JsonValue row, int width) {
        if (row instanceof JsonArray a) {
            if (a.size() != width) {
                throw new Refused(GraphErrors.invalidParameter("Each row must have as many values as the schema has keys ("
                        + width + "); one has " + a.size()));
            }
            return a.stream().map(v -> v instanceof jakarta.json.JsonString s ? s.getString() : v.toString()).toList();
        }
        if (width == 1 && row instanceof jakarta.json.JsonString s) {
            return List.of(s.getString());
        }
        throw new Refused(GraphErrors.invalidParameter("Each row of data must be an array of values"));
    }

    /** Why a row is an invalid entry (wrongly hashed, or nothing in it), or null. */
    private static String check(List<String> schema, List<String> values) {
        boolean any = false;
        for (int i = 0; i < schema.size(); i++) {
            String v = values.get(i);
            if (v.isEmpty()) {
                continue;
            }
            any = true;
            if (!PLAIN.contains(schema.get(i)) && !SHA256.matcher(v).matches()) {
                return "incorrect hashing for " + schema.get(i) + ": a SHA-256 hash in lower-case hex is expected";
            }
        }
        return any ? null : "the row holds no value";
    }

    /** An error the request gets instead of an answer. */
    static final class Refused extends RuntimeException {
        final GraphErrors.Failure failure;

        Refused(GraphErrors.Failure failure) {
            super(failure.body().toString(), null, false, false);
            this.failure = failure;
        }
    }
}
