package io.segmatch.segments.view;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.segments.entity.Operator.Shape;
import io.segmatch.segments.entity.Operator;
import io.segmatch.segments.evaluation.RuleRequest.ClauseRequest;
import io.segmatch.segments.evaluation.RuleRequest.ConditionRequest;
import io.segmatch.segments.evaluation.RuleRequest.GroupRequest;
import io.segmatch.segments.evaluation.RuleRequest.ReferenceRequest;
import jakarta.faces.model.SelectItem;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * What an entry of the builder means against the chosen dataset's columns and segments:
 * which operators and which value input its field's type takes, whether it is complete, its
 * form for the boundary, and the boundary's messages about it in the builder's words.
 */
final class ConditionForm implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][-+]?\\d+)?");

    /** The dataset's columns and their types (api names), in the dataset's order. */
    private final Map<String, String> columns;
    /** The other segments of the dataset a rule may refer to: id → name, by name. */
    private final Map<String, String> segments;

    ConditionForm(Map<String, String> columns, Map<String, String> segments) {
        this.columns = new LinkedHashMap<>(columns);
        // a column named like the builder's segment entry hides the segments rather than be shadowed
        this.segments = columns.containsKey(ConditionRow.SEGMENT) ? Map.of() : new LinkedHashMap<>(segments);
    }

    boolean hasColumns() {
        return !columns.isEmpty();
    }

    /** The entry as the boundary takes it (a value typed as the API would send it). */
    ClauseRequest request(ConditionRow row) {
        if (row.isGroup()) {
            return new GroupRequest(row.logic, row.children.stream().map(this::request).toList());
        }
        if (row.isSegment()) {
            return new ReferenceRequest(blank(row.value) ? "" : row.value, row.operator == null ? "" : row.operator);
        }
        ColumnType type = type(row);
        JsonValue value = switch (shape(row)) {
            case ONE -> typed(type, row.value);
            case TEXT -> JSON.createValue(row.value == null ? "" : row.value);
            case LIST -> {
                JsonArrayBuilder items = JSON.createArrayBuilder();
                listItems(row.list).forEach(item -> items.add(typed(type, item)));
                yield items.build();
            }
            case RANGE -> JSON.createArrayBuilder().add(typed(type, row.low)).add(typed(type, row.high)).build();
            case DAYS -> typed(ColumnType.NUMBER, row.value);
            case NONE -> null;
        };
        return new ConditionRequest(row.field == null ? "" : row.field, row.operator == null ? "" : row.operator, value);
    }

    /** A number as a JSON number, a yes/no as a JSON boolean, everything else as typed (the boundary judges it). */
    static JsonValue typed(ColumnType type, String text) {
        String v = text == null ? "" : text.trim();
        if (type == ColumnType.NUMBER && NUMBER.matcher(v).matches()) {
            return JSON.createValue(new BigDecimal(v));
        }
        if (type == ColumnType.BOOLEAN && (v.equals("true") || v.equals("false"))) {
            return v.equals("true") ? JsonValue.TRUE : JsonValue.FALSE;
        }
        return JSON.createValue(v);
    }

    static List<String> listItems(String list) {
        return list == null ? List.of() : list.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** What a condition still lacks before it can be previewed, or null when it is complete. */
    String incomplete(ConditionRow row) {
        if (blank(row.field)) {
            return "choose a field";
        }
        if (blank(row.operator)) {
            return "choose an operator";
        }
        if (row.isSegment()) {
            return blank(row.value) ? "choose a segment" : null;
        }
        return switch (shape(row)) {
            case ONE, TEXT, DAYS -> blank(row.value) ? "enter a value" : null;
            case LIST -> listItems(row.list).isEmpty() ? "enter at least one value" : null;
            case RANGE -> blank(row.low) || blank(row.high) ? "enter both ends" : null;
            case NONE -> null;
        };
    }

    /** A boundary message in the builder's words: which part of the condition, then what it needs. */
    String message(ConditionRow row, String part, String message) {
        Matcher item = Pattern.compile("value\\[(\\d+)]").matcher(part);
        if (item.matches()) {
            int i = Integer.parseInt(item.group(1));
            if (shape(row) == Shape.RANGE) {
                return (i == 0 ? "Low end: " : "High end: ") + message;
            }
            return "Value " + (i + 1) + " of the list: " + message;
        }
        return switch (part) {
            case "segment" -> "Segment: " + message;
            case "logic" -> "Group: " + message;
            case "conditions" -> "Group: " + message;
            case "field" -> "Field: " + message;
            case "operator" -> "Operator: " + message;
            case "value" -> message.equals("low is greater than high")
                    ? "The low end is greater than the high end." : "Value: " + message;
            default -> capitalised(message);
        };
    }

    static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    ColumnType type(ConditionRow row) {
        String type = row.field == null ? null : columns.get(row.field);
        return type == null ? null : ColumnType.fromApiName(type).orElse(null);
    }

    Shape shape(ConditionRow row) {
        return Operator.fromApiName(row.operator == null ? "" : row.operator).map(op -> op.shape).orElse(Shape.NONE);
    }

    List<SelectItem> fieldItems() {
        List<SelectItem> items = new ArrayList<>();
        columns.forEach((n, t) -> items.add(new SelectItem(n, n + " (" + t + ")")));
        if (!segments.isEmpty()) {
            items.add(new SelectItem(ConditionRow.SEGMENT, "the row (membership of a segment)"));
        }
        return items;
    }

    /** The segments a membership condition may name. */
    List<SelectItem> segmentItems() {
        List<SelectItem> items = new ArrayList<>();
        segments.forEach((id, name) -> items.add(new SelectItem(id, name)));
        return items;
    }

    boolean isSegmentId(String value) {
        return value != null && segments.containsKey(value);
    }

    /** The operators the row's field takes, labelled in words that fit its type. */
    List<SelectItem> operatorItems(ConditionRow row) {
        if (row.isSegment()) {
            return List.of(new SelectItem("in", "is a member of"), new SelectItem("not_in", "is not a member of"));
        }
        ColumnType type = type(row);
        if (type == null) {
            return List.of();
        }
        return Operator.forType(type).stream().map(op -> new SelectItem(op.apiName(), label(op, type))).toList();
    }

    static String label(Operator op, ColumnType type) {
        boolean time = type == ColumnType.DATE || type == ColumnType.TIMESTAMP;
        return switch (op) {
            case EQ -> "is";
            case NEQ -> "is not";
            case CONTAINS -> "contains";
            case NOT_CONTAINS -> "does not contain";
            case STARTS_WITH -> "starts with";
            case ENDS_WITH -> "ends with";
            case IN -> "is one of";
            case NOT_IN -> "is none of";
            case GT -> time ? "is after" : "is greater than";
            case GTE -> time ? "is on or after" : "is at least";
            case LT -> time ? "is before" : "is less than";
            case LTE -> time ? "is on or before" : "is at most";
            case BETWEEN -> "is between";
            case IN_LAST_DAYS -> "is in the last";
            case IS_SET -> "is set";
            case IS_NOT_SET -> "is not set";
        };
    }

    /** The value input a row needs: none, text, number, date, timestamp, boolean, list, range, days. */
    String input(ConditionRow row) {
        if (row.isSegment()) {
            return "segment";
        }
        ColumnType type = type(row);
        if (type == null || blank(row.operator)) {
            return "none";
        }
        return switch (shape(row)) {
            case NONE -> "none";
            case LIST -> "list";
            case RANGE -> "range";
            case DAYS -> "days";
            case TEXT -> "text";
            case ONE -> switch (type) {
                case STRING -> "text";
                case NUMBER -> "number";
                case DATE -> "date";
                case TIMESTAMP -> "timestamp";
                case BOOLEAN -> "boolean";
            };
        };
    }

    /** The HTML input type of a single value: a date picker for dates, text otherwise. */
    String htmlType(ConditionRow row) {
        return type(row) == ColumnType.DATE ? "date" : "text";
    }

    String placeholder(ConditionRow row) {
        ColumnType type = type(row);
        if (type == null) {
            return "";
        }
        return switch (type) {
            case NUMBER -> "e.g. 100 or 2.5";
            case DATE -> "yyyy-mm-dd";
            case TIMESTAMP -> "2026-03-01 10:15 (UTC unless a zone is given)";
            default -> "";
        };
    }
}
