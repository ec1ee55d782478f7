package io.segmatch.segments.evaluation;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.segments.entity.Condition;
import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Operator;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.evaluation.RuleRequest.ConditionRequest;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns a rule as asked for ({@link RuleRequest}: {@code logic}, {@code conditions}) into a
 * validated {@link Rule} for a dataset, or refuses it with every problem named by its path
 * ({@code conditions[2].value}), as docs/segments.md's "Validation" says. Fields are looked up
 * among the dataset's columns, values parsed into their column's type.
 */
public final class RuleValidator {

    private RuleValidator() {
    }

    /** Checks the JSON form of a rule (as the API takes it and as it is stored). */
    public static Rule validate(JsonObject json, Dataset dataset) {
        return validate(RuleRequest.of(json), dataset);
    }

    public static Rule validate(RuleRequest request, Dataset dataset) {
        List<FieldError> errors = new ArrayList<>();
        Logic logic = logic(request.logic(), errors);
        List<Condition> conditions = new ArrayList<>();
        List<ConditionRequest> list = request.conditions();
        if (list == null) {
            errors.add(FieldError.field("conditions", "a list of 1 to " + Rule.MAX_CONDITIONS + " conditions"));
        } else if (list.isEmpty()) {
            errors.add(FieldError.field("conditions", "a rule needs at least one condition"));
        } else if (list.size() > Rule.MAX_CONDITIONS) {
            errors.add(FieldError.field("conditions", "at most " + Rule.MAX_CONDITIONS + " conditions, not "
                    + list.size()));
        } else {
            for (int i = 0; i < list.size(); i++) {
                Condition c = condition("conditions[" + i + "]", list.get(i), dataset, errors);
                if (c != null) {
                    conditions.add(c);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw SegmatchException.invalid("invalid-rule", errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        return new Rule(logic, conditions);
    }

    private static Logic logic(String value, List<FieldError> errors) {
        if (value == null) {
            return Logic.AND;
        }
        for (Logic l : Logic.values()) {
            if (l.name().equalsIgnoreCase(value)) {
                return l;
            }
        }
        errors.add(FieldError.field("logic", "AND or OR"));
        return Logic.AND;
    }

    private static Condition condition(String path, ConditionRequest request, Dataset dataset, List<FieldError> errors) {
        if (request == null) {
            errors.add(FieldError.field(path, "a condition is an object with field, operator and value"));
            return null;
        }
        DatasetColumn column = null;
        if (request.field() == null) {
            errors.add(FieldError.field(path + ".field", "the name of one of the dataset's columns"));
        } else {
            column = dataset.column(request.field()).orElse(null);
            if (column == null) {
                errors.add(FieldError.field(path + ".field", "unknown field '" + request.field() + "'; the columns are: "
                        + String.join(", ", dataset.getColumns().stream().map(DatasetColumn::getName).toList())));
            }
        }
        Operator operator = null;
        if (request.operator() == null || Operator.fromApiName(request.operator()).isEmpty()) {
            errors.add(FieldError.field(path + ".operator", "one of " + String.join(", ",
                    Arrays.stream(Operator.values()).map(Operator::apiName).toList())));
        } else {
            operator = Operator.fromApiName(request.operator()).get();
        }
        if (column == null || operator == null) {
            return null;
        }
        ColumnType type = column.getType();
        if (!operator.takes(type)) {
            errors.add(FieldError.field(path + ".operator", "a " + type.apiName() + " field takes "
                    + String.join(", ", Operator.forType(type).stream().map(Operator::apiName).toList())
                    + ", not " + operator.apiName()));
            return null;
        }
        return Operands.read(path + ".value", request.value(), column.getName(), type, operator, errors);
    }

    /** Reads a condition's value into its comparable form, by the operator's shape. */
    static final class Operands {

        static Condition read(String path, JsonValue value, String field, ColumnType type, Operator op,
                              List<FieldError> errors) {
            boolean absent = value == null || value == JsonValue.NULL;
            switch (op.shape) {
                case NONE -> {
                    if (!absent) {
                        errors.add(FieldError.field(path, op.apiName() + " takes no value"));
                        return null;
                    }
                    return new Condition(field, type, op, List.of(), 0);
                }
                case DAYS -> {
                    if (value instanceof JsonNumber n && n.isIntegral() && n.bigDecimalValue().signum() >= 0
                            && n.bigDecimalValue().compareTo(BigDecimal.valueOf(100_000)) <= 0) {
                        return new Condition(field, type, op, List.of(), n.intValue());
                    }
                    errors.add(FieldError.field(path, "a whole number of days, 0 or more"));
                    return null;
                }
                case TEXT -> {
                    if (value instanceof JsonString s && !s.getString().isEmpty()) {
                        return new Condition(field, type, op, List.of(s.getString().toLowerCase(Locale.ROOT)), 0);
                    }
                    errors.add(FieldError.field(path, "a non-empty string"));
                    return null;
                }
                case LIST -> {
                    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > 1000) {
                        errors.add(FieldError.field(path, "a list of 1 to 1000 values"));
                        return null;
                    }
                    List<Object> values = new ArrayList<>();
                    for (int i = 0; i < array.size(); i++) {
                        Object v = one(array.get(i), type);
                        if (v == null) {
                            errors.add(FieldError.field(path + "[" + i + "]", expected(type)));
                            return null;
                        }
                        values.add(v);
                    }
                    return new Condition(field, type, op, values, 0);
                }
                case RANGE -> {
                    if (!(value instanceof JsonArray array) || array.size() != 2) {
                        errors.add(FieldError.field(path, "[low, high]: two values, both ends included"));
                        return null;
                    }
                    Object low = one(array.get(0), type);
                    Object high = one(array.get(1), type);
                    if (low == null || high == null) {
                        errors.add(FieldError.field(path + "[" + (low == null ? 0 : 1) + "]", expected(type)));
                        return null;
                    }
                    if (compare(low, high) > 0) {
                        errors.add(FieldError.field(path, "low is greater than high"));
                        return null;
                    }
                    return new Condition(field, type, op, List.of(low, high), 0);
                }
                default -> {
                    Object v = absent ? null : one(value, type);
                    if (v == null) {
                        errors.add(FieldError.field(path, expected(type)));
                        return null;
                    }
                    return new Condition(field, type, op, List.of(v), 0);
                }
            }
        }

        /** One value of the type, from JSON, or null. Strings take numbers and booleans as their text. */
        static Object one(JsonValue json, ColumnType type) {
            String text = switch (json.getValueType()) {
                case STRING -> ((JsonString) json).getString();
                case NUMBER -> type == ColumnType.NUMBER || type == ColumnType.STRING ? json.toString() : null;
                case TRUE -> type == ColumnType.BOOLEAN || type == ColumnType.STRING ? "true" : null;
                case FALSE -> type == ColumnType.BOOLEAN || type == ColumnType.STRING ? "false" : null;
                default -> null;
            };
            if (text == null) {
                return null;
            }
            if (type == ColumnType.STRING) {
                return text.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
            }
            return type.parse(text.trim());
        }

        private static String expected(ColumnType type) {
            return switch (type) {
                case STRING -> "a non-empty string";
                case NUMBER -> "a number such as 42 or -3.5 (a JSON number or a numeric string)";
                case BOOLEAN -> "true or false";
                case DATE -> "a date, yyyy-MM-dd";
                case TIMESTAMP -> "an ISO-8601 date-time such as 2026-03-01T10:15:00Z";
            };
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static int compare(Object a, Object b) {
            return ((Comparable) a).compareTo(b);
        }
    }
}
