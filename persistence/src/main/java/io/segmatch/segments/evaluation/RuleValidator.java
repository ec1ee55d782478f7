package io.segmatch.segments.evaluation;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.segments.entity.Clause;
import io.segmatch.segments.entity.Condition;
import io.segmatch.segments.entity.Group;
import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Operator;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.entity.SegmentCondition;
import io.segmatch.segments.evaluation.RuleRequest.ClauseRequest;
import io.segmatch.segments.evaluation.RuleRequest.ConditionRequest;
import io.segmatch.segments.evaluation.RuleRequest.GroupRequest;
import io.segmatch.segments.evaluation.RuleRequest.ReferenceRequest;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a rule as asked for ({@link RuleRequest}: {@code logic}, {@code conditions}) into a
 * validated {@link Rule} for a dataset, or refuses it with every problem named by its path
 * ({@code conditions[1].conditions[0].value}), as docs/segments.md's "Validation" says.
 * Fields are looked up among the dataset's columns, values parsed into their column's type;
 * groups nest at most {@value Rule#MAX_DEPTH} levels below the top, with at most
 * {@value Rule#MAX_CONDITIONS} conditions and references in the whole rule. A reference to
 * another segment carries that segment's rule, validated in turn; a reference that leads
 * back to the segment being defined is refused (a cycle).
 */
public final class RuleValidator {

    /** Where references find the segments they name. */
    @FunctionalInterface
    public interface Segments {
        /** The live segment with this id, or empty. */
        Optional<Referenced> find(String id);

        /** No segments: every reference is to an unknown segment. */
        Segments NONE = id -> Optional.empty();
    }

    /** A segment a rule may refer to, with its stored rule. */
    public record Referenced(String id, String name, String datasetId, RuleRequest rule) {
    }

    private RuleValidator() {
    }

    /** Checks the JSON form of a rule (as the API takes it and as it is stored) that refers to no segment. */
    public static Rule validate(JsonObject json, Dataset dataset) {
        return validate(RuleRequest.of(json), dataset);
    }

    /** Checks a rule that refers to no segment. */
    public static Rule validate(RuleRequest request, Dataset dataset) {
        return validate(request, dataset, Segments.NONE, null);
    }

    /**
     * Checks a rule.
     *
     * @param segments where its references find their segments
     * @param selfId   the segment the rule belongs to (a reference back to it is a cycle); null for a
     *                 new segment or a preview
     */
    public static Rule validate(RuleRequest request, Dataset dataset, Segments segments, String selfId) {
        Reading reading = new Reading(dataset, segments, selfId);
        Rule rule = reading.rule(request);
        if (!reading.errors.isEmpty()) {
            FieldError first = reading.errors.get(0);
            throw SegmatchException.invalid("invalid-rule", first.field() + ": " + first.message(), reading.errors);
        }
        return rule;
    }

    /** A reference that leads back to a segment being expanded: the chain of names from there. */
    private static final class Cycle extends RuntimeException {
        final List<String> names;

        Cycle(List<String> names) {
            super(null, null, false, false);
            this.names = names;
        }
    }

    /** One validation: the errors found, and the references being expanded (for cycles). */
    private static final class Reading {
        final Dataset dataset;
        final Segments segments;
        final String selfId;
        final List<FieldError> errors = new ArrayList<>();
        /** The ids of the segments whose rules are being read, outermost first, with their names. */
        final Map<String, String> expanding;
        final Map<String, Rule> expanded;
        int leaves;

        Reading(Dataset dataset, Segments segments, String selfId) {
            this(dataset, segments, selfId, new LinkedHashMap<>(), new HashMap<>());
        }

        private Reading(Dataset dataset, Segments segments, String selfId, Map<String, String> expanding,
                        Map<String, Rule> expanded) {
            this.dataset = dataset;
            this.segments = segments;
            this.selfId = selfId;
            this.expanding = expanding;
            this.expanded = expanded;
        }

        Rule rule(RuleRequest request) {
            Logic logic = logic("logic", request.logic());
            List<Clause> clauses = clauses("conditions", request.conditions(), 1, "a rule");
            if (leaves > Rule.MAX_CONDITIONS) {
                errors.add(FieldError.field("conditions", "at most " + Rule.MAX_CONDITIONS
                        + " conditions in the whole rule, groups included, not " + leaves));
            }
            return new Rule(logic, clauses);
        }

        private Logic logic(String path, String value) {
            if (value == null) {
                return Logic.AND;
            }
            for (Logic l : Logic.values()) {
                if (l.name().equalsIgnoreCase(value)) {
                    return l;
                }
            }
            errors.add(FieldError.field(path, "AND or OR"));
            return Logic.AND;
        }

        /** A list of clauses at {@code path}; groups in it stand {@code level} levels below the top. */
        private List<Clause> clauses(String path, List<ClauseRequest> list, int level, String what) {
            List<Clause> clauses = new ArrayList<>();
            if (list == null) {
                errors.add(FieldError.field(path, "a list of 1 to " + Rule.MAX_CONDITIONS + " conditions"));
            } else if (list.isEmpty()) {
                errors.add(FieldError.field(path, what + " needs at least one condition"));
            } else if (list.size() > Rule.MAX_CONDITIONS) {
                errors.add(FieldError.field(path, "at most " + Rule.MAX_CONDITIONS + " conditions, not " + list.size()));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    Clause c = clause(path + "[" + i + "]", list.get(i), level);
                    if (c != null) {
                        clauses.add(c);
                    }
                }
            }
            return clauses;
        }

        private Clause clause(String path, ClauseRequest request, int level) {
            if (request instanceof ConditionRequest c) {
                leaves++;
                return condition(path, c, dataset, errors);
            }
            if (request instanceof GroupRequest g) {
                if (level > Rule.MAX_DEPTH) {
                    errors.add(FieldError.field(path, "groups nest at most " + Rule.MAX_DEPTH + " levels below the top"));
                    return null;
                }
                Logic logic = logic(path + ".logic", g.logic());
                return new Group(logic, clauses(path + ".conditions", g.conditions(), level + 1, "a group"));
            }
            if (request instanceof ReferenceRequest r) {
                leaves++;
                return reference(path, r);
            }
            errors.add(FieldError.field(path, "a condition is an object: {field, operator, value}, a group "
                    + "{logic, conditions} or a segment {segment, operator}"));
            return null;
        }

        private SegmentCondition reference(String path, ReferenceRequest request) {
            boolean in = "in".equals(request.operator());
            if (!in && !"not_in".equals(request.operator())) {
                errors.add(FieldError.field(path + ".operator", "in or not_in (membership of the segment)"));
            }
            if (request.segment() == null) {
                errors.add(FieldError.field(path + ".segment", "the id of a segment of the same dataset"));
                return null;
            }
            String id = request.segment();
            if (id.equals(selfId) || expanding.containsKey(id)) {
                // the chain from where it closes: this segment → 'A' → 'B' → this segment
                List<String> chain = new ArrayList<>();
                boolean on = id.equals(selfId);
                if (on) {
                    chain.add("this segment");
                }
                for (var e : expanding.entrySet()) {
                    on |= e.getKey().equals(id);
                    if (on) {
                        chain.add("'" + e.getValue() + "'");
                    }
                }
                chain.add(chain.get(0));
                if (expanding.isEmpty()) {
                    errors.add(FieldError.field(path + ".segment", "a segment cannot refer to itself"));
                    return null;
                }
                throw new Cycle(chain);
            }
            Optional<Referenced> found = segments.find(id);
            if (found.isEmpty()) {
                errors.add(FieldError.field(path + ".segment", "no segment with id '" + id + "'"));
                return null;
            }
            Referenced segment = found.get();
            if (!segment.datasetId().equals(dataset.getId())) {
                errors.add(FieldError.field(path + ".segment", "the segment '" + segment.name()
                        + "' belongs to another dataset; a rule refers only to segments of its own dataset"));
                return null;
            }
            Rule rule = expanded.get(id);
            if (rule == null) {
                expanding.put(id, segment.name());
                Reading inner = new Reading(dataset, segments, selfId, expanding, expanded);
                try {
                    rule = inner.rule(segment.rule());
                } catch (Cycle cycle) {
                    if (expanding.size() > 1) {
                        throw cycle;
                    }
                    errors.add(FieldError.field(path + ".segment", "this makes a cycle: " + String.join(" → ", cycle.names)
                            + "; a segment cannot depend on itself"));
                    return null;
                } finally {
                    expanding.remove(id);
                }
                if (!inner.errors.isEmpty()) {
                    errors.add(FieldError.field(path + ".segment", "the segment '" + segment.name()
                            + "' cannot be used: its rule no longer fits the dataset (" + inner.errors.get(0).field()
                            + ": " + inner.errors.get(0).message() + ")"));
                    return null;
                }
                expanded.put(id, rule);
            }
            return new SegmentCondition(id, in, rule);
        }
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
                    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > Rule.MAX_LIST_VALUES) {
                        errors.add(FieldError.field(path, "a list of 1 to " + Rule.MAX_LIST_VALUES + " values"));
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
