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
 * @param conditions the conditions in order, null when there is no list; an entry is null
 *                   where the request held something other than a condition object
 */
public record RuleRequest(String logic, List<ConditionRequest> conditions) {

    /**
     * One condition as asked for.
     *
     * @param field    a column's name, or null when missing (or not text)
     * @param operator an operator's API name, or null when missing (or not text)
     * @param value    the value with its JSON type (a number and a numeric string differ); null
     *                 when absent
     */
    public record ConditionRequest(String field, String operator, JsonValue value) {
    }

    public RuleRequest {
        conditions = conditions == null ? null : Collections.unmodifiableList(new ArrayList<>(conditions));
    }

    /**
     * Reads the JSON form ({@code {"logic": …, "conditions": [{"field", "operator", "value"}]}}).
     * What is not of the expected type is kept so that the validator refuses it with its
     * usual words: a non-text logic as its JSON text, a non-text field or operator as missing,
     * a non-object condition as a null entry, a non-list as no list.
     */
    public static RuleRequest of(JsonObject json) {
        JsonValue logic = json.get("logic");
        String logicText = logic == null || logic == JsonValue.NULL ? null
                : logic instanceof JsonString s ? s.getString() : logic.toString();
        List<ConditionRequest> conditions = null;
        if (json.get("conditions") instanceof JsonArray array) {
            conditions = new ArrayList<>();
            for (JsonValue item : array) {
                if (item instanceof JsonObject o) {
                    conditions.add(new ConditionRequest(text(o.get("field")), text(o.get("operator")), o.get("value")));
                } else {
                    conditions.add(null);
                }
            }
        }
        return new RuleRequest(logicText, conditions);
    }

    private static String text(JsonValue value) {
        return value instanceof JsonString s ? s.getString() : null;
    }
}
