package io.segmatch.segments.evaluation;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A rule as asked for — by the API, the console's builder, or as stored — before
 * {@link RuleValidator} checks it against a dataset.
 *
 * @param logic      {@code AND} or {@code OR} in any case; null for the default ({@code AND})
 * @param conditions the clauses in order, null when there is no list; an entry is null
 *                   where the request held something other than an object
 */
public record RuleRequest(String logic, List<ClauseRequest> conditions) {

    /** One entry of a rule's (or a group's) list as asked for. */
    public sealed interface ClauseRequest permits ConditionRequest, GroupRequest, ReferenceRequest {
    }

    /**
     * A condition on a column.
     *
     * @param field    a column's name, or null when missing (or not text)
     * @param operator an operator's API name, or null when missing (or not text)
     * @param value    the value with its JSON type (a number and a numeric string differ); null
     *                 when absent
     */
    public record ConditionRequest(String field, String operator, JsonValue value) implements ClauseRequest {
    }

    /** A group: {@code {"logic", "conditions"}}, with the same reading as the rule's. */
    public record GroupRequest(String logic, List<ClauseRequest> conditions) implements ClauseRequest {
        public GroupRequest {
            conditions = conditions == null ? null : Collections.unmodifiableList(new ArrayList<>(conditions));
        }
    }

    /**
     * Membership of another segment: {@code {"segment": ID, "operator": "in" | "not_in"}}.
     *
     * @param segment  the segment's id, or null when missing (or not text)
     * @param operator {@code in} or {@code not_in}, or null when missing (or not text)
     */
    public record ReferenceRequest(String segment, String operator) implements ClauseRequest {
    }

    public RuleRequest {
        conditions = conditions == null ? null : Collections.unmodifiableList(new ArrayList<>(conditions));
    }

    /**
     * Reads the JSON form ({@code {"logic": …, "conditions": [{"field", "operator", "value"}]}};
     * an entry with {@code conditions} or {@code logic} is a group, one with {@code segment} a
     * reference). What is not of the expected type is kept so that the validator refuses it
     * with its usual words: a non-text logic as its JSON text, a non-text field, operator or
     * segment as missing, a non-object entry as a null entry, a non-list as no list.
     */
    public static RuleRequest of(JsonObject json) {
        return new RuleRequest(logic(json), clauses(json));
    }

    /** Reads a stored rule: its logic and its list of clauses as JSON. */
    public static RuleRequest of(String logic, JsonArray conditions) {
        return new RuleRequest(logic, clauses(conditions));
    }

    private static String logic(JsonObject json) {
        JsonValue logic = json.get("logic");
        return logic == null || logic == JsonValue.NULL ? null
                : logic instanceof JsonString s ? s.getString() : logic.toString();
    }

    private static List<ClauseRequest> clauses(JsonObject json) {
        return json.get("conditions") instanceof JsonArray array ? clauses(array) : null;
    }

    private static List<ClauseRequest> clauses(JsonArray array) {
        List<ClauseRequest> clauses = new ArrayList<>();
        for (JsonValue item : array) {
            clauses.add(item instanceof JsonObject o ? clause(o) : null);
        }
        return clauses;
    }

    private static ClauseRequest clause(JsonObject o) {
        if (o.containsKey("conditions") || o.containsKey("logic")) {
            return new GroupRequest(logic(o), clauses(o));
        }
        if (o.containsKey("segment")) {
            return new ReferenceRequest(text(o.get("segment")), text(o.get("operator")));
        }
        return new ConditionRequest(text(o.get("field")), text(o.get("operator")), o.get("value"));
    }

    private static String text(JsonValue value) {
        return value instanceof JsonString s ? s.getString() : null;
    }
}
