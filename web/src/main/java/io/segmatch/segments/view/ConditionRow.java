package io.segmatch.segments.view;

import io.segmatch.segments.entity.Operator;
import io.segmatch.segments.entity.Operator.Shape;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the segment builder's rule as the user edits it: a condition on a column, a
 * membership of another segment (field {@link #SEGMENT}, the segment's id as the value), or a
 * group of entries with its own AND/OR. Everything is text until the boundary reads it.
 */
public final class ConditionRow implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The builder's "field" of a segment membership condition (the segment is the value). */
    static final String SEGMENT = "@segment";

    /** Null for a condition; the group's logic (AND/OR) for a group. */
    String logic;
    final List<ConditionRow> children = new ArrayList<>();
    String field;
    String operator;
    String value;
    String low;
    String high;
    String list;
    String error;

    public String getField() {
        return field;
    }

    public void setField(String field) {
        this.field = field;
    }

    public String getOperator() {
        return operator;
    }

    public void setOperator(String operator) {
        this.operator = operator;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }

    public String getLow() {
        return low;
    }

    public void setLow(String low) {
        this.low = low;
    }

    public String getHigh() {
        return high;
    }

    public void setHigh(String high) {
        this.high = high;
    }

    public String getList() {
        return list;
    }

    public void setList(String list) {
        this.list = list;
    }

    public String getError() {
        return error;
    }

    public boolean isGroup() {
        return logic != null;
    }

    public String getLogic() {
        return logic;
    }

    public void setLogic(String logic) {
        if (this.logic != null) {
            this.logic = "OR".equals(logic) ? "OR" : "AND";
        }
    }

    public boolean isSegment() {
        return SEGMENT.equals(field);
    }

    /** A new group holding one empty condition. */
    static ConditionRow group(String logic) {
        ConditionRow group = new ConditionRow();
        group.logic = logic;
        group.children.add(new ConditionRow());
        return group;
    }

    /** A stored entry (the API's JSON form: condition, group or segment) as a row of the builder. */
    static ConditionRow of(JsonObject c) {
        ConditionRow row = new ConditionRow();
        if (c.containsKey("conditions")) {
            row.logic = "OR".equalsIgnoreCase(c.getString("logic", "AND")) ? "OR" : "AND";
            for (JsonValue child : c.getJsonArray("conditions")) {
                row.children.add(of(child.asJsonObject()));
            }
            return row;
        }
        if (c.containsKey("segment")) {
            row.field = SEGMENT;
            row.operator = c.getString("operator");
            row.value = c.getString("segment");
            return row;
        }
        row.field = c.getString("field");
        row.operator = c.getString("operator");
        JsonValue value = c.get("value");
        Shape shape = Operator.fromApiName(row.operator).map(op -> op.shape).orElse(Shape.ONE);
        if (value == null || value == JsonValue.NULL) {
            return row;
        }
        switch (shape) {
            case LIST -> {
                List<String> items = new ArrayList<>();
                if (value instanceof JsonArray a) {
                    a.forEach(v -> items.add(text(v)));
                }
                row.list = String.join("\n", items);
            }
            case RANGE -> {
                if (value instanceof JsonArray a && a.size() == 2) {
                    row.low = text(a.get(0));
                    row.high = text(a.get(1));
                }
            }
            default -> row.value = text(value);
        }
        return row;
    }

    private static String text(JsonValue v) {
        return v instanceof JsonString s ? s.getString() : v.toString();
    }
}
