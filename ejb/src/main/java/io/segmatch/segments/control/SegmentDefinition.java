package io.segmatch.segments.control;

import io.segmatch.datasets.entity.Dataset;
import io.segmatch.segments.boundary.SegmentRequest;
import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.evaluation.RuleRequest.ClauseRequest;
import io.segmatch.segments.evaluation.RuleRequest.ConditionRequest;
import io.segmatch.segments.evaluation.RuleRequest.GroupRequest;
import io.segmatch.segments.evaluation.RuleRequest.ReferenceRequest;
import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.segments.evaluation.RuleValidator;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * A segment as asked for ({@link SegmentRequest}: name, dataset, logic, conditions,
 * activation), checked field by field: the rule against the
 * dataset's columns, the activation settings against their shape. Every problem is listed.
 *
 * @param conditionsJson the conditions as stored and returned, each field spelled as the dataset does
 * @param activationJson the activation settings as stored and returned, or null
 */
public record SegmentDefinition(String name, Rule rule, String conditionsJson, String activationJson) {

    static final Set<String> CONSENT = Set.of("GRANTED", "DENIED");

    /**
     * Checks a definition; {@code dataset} is the one {@code datasetId} names, or null if none;
     * references find their segments in {@code segments}; {@code selfId} is the segment's id
     * (null when it is new).
     */
    public static SegmentDefinition read(SegmentRequest request, Dataset dataset, RuleValidator.Segments segments,
                                         String selfId) {
        List<FieldError> errors = new ArrayList<>();
        String name = request.name() == null ? null : request.name().trim();
        if (name == null || name.isEmpty() || name.length() > 200) {
            errors.add(FieldError.field("name", "a name of 1 to 200 characters"));
        } else if (name.indexOf('\0') >= 0) {
            errors.add(FieldError.field("name", "contains a NUL character"));
        }
        if (dataset == null) {
            errors.add(FieldError.field("datasetId", request.datasetId() != null
                    ? "no dataset with id '" + request.datasetId() + "'" : "the id of the segment's dataset"));
        }
        String activation = activation(request.activation(), errors);
        Rule rule = null;
        if (dataset != null) {
            try {
                rule = RuleValidator.validate(request.rule(), dataset, segments, selfId);
            } catch (SegmatchException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw SegmatchException.invalid("invalid-segment", errors.get(0).field() + ": " + errors.get(0).message(),
                    errors);
        }
        return new SegmentDefinition(name, rule, conditions(request.rule(), dataset), activation);
    }

    /** The conditions as given, with each field spelled as the dataset spells it (groups and references as given). */
    private static String conditions(RuleRequest rule, Dataset dataset) {
        return clauses(rule.conditions(), dataset).build().toString();
    }

    private static JsonArrayBuilder clauses(List<ClauseRequest> clauses, Dataset dataset) {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        for (ClauseRequest clause : clauses) {
            if (clause instanceof ConditionRequest c) {
                JsonObjectBuilder b = JSON.createObjectBuilder()
                        .add("field", dataset.column(c.field()).orElseThrow().getName())
                        .add("operator", c.operator());
                if (c.value() != null && c.value() != JsonValue.NULL) {
                    b.add("value", c.value());
                }
                list.add(b);
            } else if (clause instanceof GroupRequest g) {
                list.add(JSON.createObjectBuilder()
                        .add("logic", g.logic() == null ? Logic.AND.name() : g.logic().toUpperCase(Locale.ROOT))
                        .add("conditions", clauses(g.conditions(), dataset)));
            } else if (clause instanceof ReferenceRequest r) {
                list.add(JSON.createObjectBuilder().add("segment", r.segment()).add("operator", r.operator()));
            }
        }
        return list;
    }

    private static String activation(JsonValue value, List<FieldError> errors) {
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            errors.add(FieldError.field("activation", "an object such as {\"googleAds\": {\"enabled\": true, …}, "
                    + "\"meta\": {\"enabled\": true, \"audienceId\": null}}"));
            return null;
        }
        JsonObject activation = value.asJsonObject();
        JsonObjectBuilder result = JSON.createObjectBuilder();
        for (String key : activation.keySet()) {
            if (!key.equals("googleAds") && !key.equals("meta")) {
                errors.add(FieldError.field("activation." + key, "unknown destination (googleAds, meta)"));
            }
        }
        if (activation.get("googleAds") instanceof JsonObject ads) {
            String path = "activation.googleAds";
            JsonObjectBuilder out = JSON.createObjectBuilder();
            JsonValue enabled = ads.get("enabled");
            boolean on = enabled == JsonValue.TRUE;
            if (enabled != null && enabled != JsonValue.TRUE && enabled != JsonValue.FALSE) {
                errors.add(FieldError.field(path + ".enabled", "true or false"));
            }
            out.add("enabled", on);
            JsonValue list = ads.get("userList");
            if (list == null || list == JsonValue.NULL) {
                out.addNull("userList");
            } else if (list instanceof JsonString s && s.getString().matches("customers/\\d+/userLists/\\d+")) {
                out.add("userList", s.getString());
            } else {
                errors.add(FieldError.field(path + ".userList", "null, or a user list resource name such as "
                        + "customers/1234567890/userLists/987"));
            }
            JsonValue consent = ads.get("consent");
            if (consent instanceof JsonObject c) {
                JsonObjectBuilder co = JSON.createObjectBuilder();
                for (String k : List.of("adUserData", "adPersonalization")) {
                    if (c.get(k) instanceof JsonString s && CONSENT.contains(s.getString())) {
                        co.add(k, s.getString());
                    } else {
                        errors.add(FieldError.field(path + ".consent." + k, "GRANTED or DENIED"));
                    }
                }
                out.add("consent", co);
            } else if (on) {
                errors.add(FieldError.field(path + ".consent", "required when enabled: "
                        + "{\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"} (or DENIED)"));
            } else if (consent != null && consent != JsonValue.NULL) {
                errors.add(FieldError.field(path + ".consent", "an object with adUserData and adPersonalization"));
            }
            result.add("googleAds", out);
        } else if (activation.containsKey("googleAds") && activation.get("googleAds") != JsonValue.NULL) {
            errors.add(FieldError.field("activation.googleAds", "an object with enabled, userList and consent"));
        }
        if (activation.get("meta") instanceof JsonObject meta) {
            JsonObjectBuilder out = JSON.createObjectBuilder();
            JsonValue enabled = meta.get("enabled");
            if (enabled != null && enabled != JsonValue.TRUE && enabled != JsonValue.FALSE) {
                errors.add(FieldError.field("activation.meta.enabled", "true or false"));
            }
            out.add("enabled", enabled == JsonValue.TRUE);
            JsonValue audience = meta.get("audienceId");
            if (audience == null || audience == JsonValue.NULL) {
                out.addNull("audienceId");
            } else if (audience instanceof JsonString s && s.getString().matches("\\d{1,30}")) {
                out.add("audienceId", s.getString());
            } else {
                errors.add(FieldError.field("activation.meta.audienceId", "null, or a Custom Audience id (digits) such as "
                        + "\"23851234567890123\""));
            }
            result.add("meta", out);
        } else if (activation.containsKey("meta") && activation.get("meta") != JsonValue.NULL) {
            errors.add(FieldError.field("activation.meta", "an object with enabled and audienceId"));
        }
        return result.build().toString();
    }
}
