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

/** One condition row of the segment builder as the user edits it: everything is text until the boundary reads it. */
public final class ConditionRow implements Serializable {

    private static final long serialVersionUID = 1L;
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

    /** A stored condition (the API's JSON form) as a row of the builder. */
    static ConditionRow of(JsonObject c) {
        ConditionRow row = new ConditionRow();
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
