package io.segmatch.activation.meta;

import io.segmatch.activation.google.GoogleClients;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Meta's customer-list Custom Audiences through {@link MetaApi}, each call made with
 * {@link MetaCalls}' policy: create an audience, add or remove people in batches of at most
 * {@value #BATCH} rows within a sync's upload session, read an audience's approximate size,
 * and whether the ad account's Custom Audience terms are accepted.
 */
public final class MetaAudiences {

    /** At most this many people per request (Meta's limit). */
    public static final int BATCH = 10_000;

    private final MetaApi api;
    private final MetaCalls calls;
    private final MetaSettings settings;

    public MetaAudiences(MetaApi api, MetaCalls calls, MetaSettings settings) {
        this.api = api;
        this.calls = calls;
        this.settings = settings;
    }

    /**
     * Meta's audiences over the configured Graph API, with the calls' policy: a wait Meta asks
     * for up to {@code waitInPlace} is sat out in the call, a longer one thrown.
     *
     * @param token    the access token to use (read at each call)
     * @param outcomes told of every request's outcome (see {@link MetaCalls})
     */
    public static MetaAudiences of(MetaSettings settings, Supplier<String> token, Duration waitInPlace,
                                   Consumer<String> outcomes) {
        MetaCalls calls = new MetaCalls(token, settings, Duration.ofMillis(500), waitInPlace, outcomes);
        MetaApi api = GoogleClients.build(MetaApi.class, settings.apiUrl() + "/", settings.timeout());
        return new MetaAudiences(api, calls, settings);
    }

    /** Creates a customer-list audience; returns its id. */
    public String createAudience(String name, String description) {
        String account = account();
        MetaApi.CreateAudience body = new MetaApi.CreateAudience(name, "CUSTOM", description, settings.customerFileSource());
        JsonObject answer = calls.call("creating the Meta audience", auth -> api.createAudience(settings.apiVersion(),
                account, auth.authorization(), auth.appSecretProof(), auth.appSecretTime(), body)).body();
        return answer.getString("id");
    }

    /**
     * What one batch did: the rows Meta received so far in the session, how many of this batch
     * it found wrongly hashed, and up to 100 of them with the reason.
     */
    public record Sent(long received, long invalid, Map<String, String> samples) {
    }

    /**
     * Sends one batch of a session: {@code rows} in {@link io.segmatch.activation.identifiers.MetaIdentifiers#SCHEMA}
     * order (at most {@value #BATCH}), added or removed.
     */
    public Sent send(String audienceId, boolean remove, MetaApi.Session session, List<String> schema, List<List<String>> rows) {
        if (rows.size() > BATCH) {
            throw new IllegalArgumentException("at most " + BATCH + " rows per request, not " + rows.size());
        }
        MetaApi.Users body = new MetaApi.Users(session, new MetaApi.Payload(schema, true, rows));
        String what = (remove ? "removing people from" : "adding people to") + " the Meta audience " + audienceId;
        JsonObject answer = calls.call(what, auth -> api.users(settings.apiVersion(), audienceId, remove ? "DELETE" : null,
                auth.authorization(), auth.appSecretProof(), auth.appSecretTime(), body)).body();
        Map<String, String> samples = new LinkedHashMap<>();
        if (answer.get("invalid_entry_samples") instanceof JsonObject s) {
            s.forEach((k, v) -> samples.put(k, v.getValueType() == JsonValue.ValueType.STRING ? s.getString(k) : v.toString()));
        }
        return new Sent(number(answer, "num_received"), number(answer, "num_invalid_entries"), samples);
    }

    /** An audience's approximate size as Meta reports it (bounds null while Meta has none) and its delivery status code. */
    public record Report(Long lowerBound, Long upperBound, Integer deliveryStatus) {
    }

    public Report report(String audienceId) {
        JsonObject a = calls.call("reading the Meta audience " + audienceId, auth -> api.audience(settings.apiVersion(), audienceId,
                "approximate_count_lower_bound,approximate_count_upper_bound,delivery_status,operation_status",
                auth.authorization(), auth.appSecretProof(), auth.appSecretTime())).body();
        Long lower = number(a, "approximate_count_lower_bound");
        Long upper = number(a, "approximate_count_upper_bound");
        Integer delivery = a.get("delivery_status") instanceof JsonObject d && d.get("code") instanceof JsonNumber n
                ? n.intValue() : null;
        return new Report(lower == null || lower < 0 ? null : lower, upper == null || upper < 0 ? null : upper, delivery);
    }

    /** Whether the ad account's Custom Audience terms are accepted. */
    public boolean termsAccepted() {
        String account = account();
        JsonObject a = calls.call("reading the Meta ad account", auth -> api.account(settings.apiVersion(), account,
                "tos_accepted", auth.authorization(), auth.appSecretProof(), auth.appSecretTime())).body();
        return a.get("tos_accepted") instanceof JsonObject tos && tos.getInt("custom_audience_tos", 0) == 1;
    }

    private String account() {
        if (settings.adAccountId() == null) {
            throw new MetaException(0, 0, 0, MetaException.Kind.INVALID, "set segmatch.meta.ad-account-id to the ad account "
                    + "that holds the audiences", null);
        }
        return settings.adAccountId();
    }

    private static Long number(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v instanceof JsonNumber n) {
            return n.longValue();
        }
        if (v != null && v.getValueType() == JsonValue.ValueType.STRING) {
            try {
                return Long.parseLong(o.getString(key));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
