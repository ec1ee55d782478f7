package io.segmatch.activation.store;

import io.segmatch.activation.identifiers.CustomerIdentifiers;
import io.segmatch.activation.identifiers.MetaIdentifiers;
import io.segmatch.datasets.entity.Identifiers;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * Where an activated segment's members go: each destination has its own part of a segment's
 * activation settings ({@link #settingsKey()}), its own identifiers (normalised and hashed as
 * that platform asks), and its own acknowledged people, queue, plans, runs and jobs.
 */
public enum Destination {
    /** Google Customer Match (the Google Ads API or the Data Manager API). */
    GOOGLE_ADS("google-ads", "googleAds", "userList"),
    /** A Meta customer-list Custom Audience (the Graph API). */
    META("meta", "meta", "audienceId");

    private final String apiName;
    private final String settingsKey;
    private final String listKey;

    Destination(String apiName, String settingsKey, String listKey) {
        this.apiName = apiName;
        this.settingsKey = settingsKey;
        this.listKey = listKey;
    }

    /** The name stored in the database and shown by the API ({@code google-ads}, {@code meta}). */
    public String apiName() {
        return apiName;
    }

    /** The key of this destination's part of a segment's activation settings. */
    public String settingsKey() {
        return settingsKey;
    }

    /** The key, in that part, of the list (Google) or audience (Meta) a sync creates. */
    public String listKey() {
        return listKey;
    }

    public static Destination of(String apiName) {
        for (Destination d : values()) {
            if (d.apiName.equals(apiName)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no destination " + apiName);
    }

    /** This destination's part of activation settings, or null. */
    public JsonObject settings(JsonObject activation) {
        return activation != null && activation.get(settingsKey) instanceof JsonObject part ? part : null;
    }

    /** Whether activation settings (JSON, may be null) enable this destination. */
    public boolean enabled(String activationJson) {
        if (activationJson == null) {
            return false;
        }
        JsonObject part = settings(JSON.createReader(new StringReader(activationJson)).readObject());
        return part != null && part.get("enabled") == JsonValue.TRUE;
    }

    /** The destinations activation settings (JSON, may be null) enable. */
    public static List<Destination> enabledIn(String activationJson) {
        List<Destination> on = new ArrayList<>();
        if (activationJson == null) {
            return on;
        }
        JsonObject activation = JSON.createReader(new StringReader(activationJson)).readObject();
        for (Destination d : values()) {
            JsonObject part = d.settings(activation);
            if (part != null && part.get("enabled") == JsonValue.TRUE) {
                on.add(d);
            }
        }
        return on;
    }

    /** SQL: the destinations as rows {@code d (name, key)}: stored name, key of their activation settings. */
    public static final String TABLE_SQL = "(VALUES " + java.util.Arrays.stream(values())
            .map(d -> "('" + d.apiName + "', '" + d.settingsKey + "')").collect(java.util.stream.Collectors.joining(", "))
            + ") d (name, key)";

    /** SQL: whether {@code segment s} is activated to destination {@code d} of {@link #TABLE_SQL}. */
    public static final String ENABLED_SQL =
            "s.activation_json::jsonb @> jsonb_build_object(d.key, jsonb_build_object('enabled', true))";

    /** Meta's schema with the row's key as {@code EXTERN_ID} after {@link MetaIdentifiers#SCHEMA}'s keys. */
    public static final List<String> META_SCHEMA_WITH_EXTERN_ID = java.util.stream.Stream.concat(
            MetaIdentifiers.SCHEMA.stream(), java.util.stream.Stream.of("EXTERN_ID")).toList();

    /**
     * A member's identifiers as this destination takes them, as the JSON stored with the
     * acknowledged people and in jobs (the same values give the same text), or null when the
     * row has none this destination can use. Google: {@link CustomerIdentifiers}; Meta: the
     * hashed values in {@link MetaIdentifiers#SCHEMA} order — and, with
     * {@link IdentifierSettings#metaExternId()}, the row's key as {@code EXTERN_ID}, as it is —
     * used when the row has an email, a phone, both names or that key (a country or postcode
     * alone matches nobody).
     */
    public String identifiers(String key, Map<String, String> values, Identifiers roles, IdentifierSettings settings) {
        if (this == GOOGLE_ADS) {
            CustomerIdentifiers ids = CustomerIdentifiers.of(values, roles, settings.canonicalGmail());
            return ids.isEmpty() ? null : ids.toJson();
        }
        MetaIdentifiers ids = MetaIdentifiers.of(values, roles);
        String externId = settings.metaExternId() && key != null && !key.isBlank() ? key.strip() : null;
        if (ids.email() == null && ids.phone() == null && (ids.firstName() == null || ids.lastName() == null)
                && externId == null) {
            return null;
        }
        JsonArrayBuilder row = JSON.createArrayBuilder();
        ids.row().forEach(row::add);
        if (externId != null) {
            row.add(externId);
        }
        return row.build().toString();
    }

    /** A Meta row ({@link MetaIdentifiers#SCHEMA} order, then {@code EXTERN_ID} when there is one) from its stored JSON. */
    public static List<String> metaRow(String identifiers) {
        JsonArray values = JSON.createReader(new StringReader(identifiers)).readArray();
        List<String> row = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            row.add(values.getString(i));
        }
        return row;
    }
}
