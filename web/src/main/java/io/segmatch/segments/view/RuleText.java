package io.segmatch.segments.view;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.segments.entity.Operator;
import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.segments.evaluation.RuleRequest.ClauseRequest;
import io.segmatch.segments.evaluation.RuleRequest.ConditionRequest;
import io.segmatch.segments.evaluation.RuleRequest.GroupRequest;
import io.segmatch.segments.evaluation.RuleRequest.ReferenceRequest;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A stored rule as a sentence, in the builder's words: "country is DE and plan is one of pro,
 * team", groups in parentheses ("(country is DE and plan is pro) or (country is AT and
 * lifetime_value is greater than 500)"), a segment membership as "member of “High value”".
 */
final class RuleText {

    private RuleText() {
    }

    /**
     * @param types    the dataset's column types (an unknown column is read as a string)
     * @param segments a segment's name by its id (null when unknown)
     */
    static String of(RuleRequest rule, Map<String, ColumnType> types, Function<String, String> segments) {
        return clauses(rule.logic(), rule.conditions(), types, segments, true);
    }

    private static String clauses(String logic, List<ClauseRequest> clauses, Map<String, ColumnType> types,
                                  Function<String, String> segments, boolean top) {
        String joiner = "OR".equalsIgnoreCase(logic) ? " or " : " and ";
        List<String> parts = new ArrayList<>();
        for (ClauseRequest clause : clauses == null ? List.<ClauseRequest>of() : clauses) {
            if (clause instanceof GroupRequest g) {
                String inner = clauses(g.logic(), g.conditions(), types, segments, false);
                parts.add(g.conditions() != null && g.conditions().size() > 1 ? "(" + inner + ")" : inner);
            } else if (clause instanceof ReferenceRequest r) {
                String name = segments.apply(r.segment());
                parts.add(("not_in".equals(r.operator()) ? "not a member of " : "member of ")
                        + (name == null ? "segment " + r.segment() : "“" + name + "”"));
            } else if (clause instanceof ConditionRequest c) {
                parts.add(condition(c, types.getOrDefault(c.field(), ColumnType.STRING)));
            }
        }
        return String.join(joiner, parts);
    }

    private static String condition(ConditionRequest c, ColumnType type) {
        Operator op = Operator.fromApiName(c.operator()).orElse(null);
        if (op == null) {
            return c.field() + " " + c.operator();
        }
        String words = c.field() + " " + ConditionForm.label(op, type);
        JsonValue value = c.value();
        return switch (op.shape) {
            case NONE -> words;
            case DAYS -> words + " " + text(value) + " days";
            case LIST -> words + " " + (value instanceof JsonArray a
                    ? String.join(", ", a.stream().map(RuleText::text).toList()) : text(value));
            case RANGE -> value instanceof JsonArray a && a.size() == 2
                    ? words + " " + text(a.get(0)) + " and " + text(a.get(1)) : words + " " + text(value);
            default -> words + " " + (type == ColumnType.BOOLEAN ? text(value).toLowerCase(Locale.ROOT) : text(value));
        };
    }

    private static String text(JsonValue v) {
        return v == null ? "" : v instanceof JsonString s ? s.getString() : v.toString();
    }
}
