package io.segmatch.segments.entity;

import io.segmatch.datasets.entity.ColumnType;

import java.util.List;

/**
 * One validated condition: the dataset column (as the dataset spells it), its type, the
 * operator, and the operand in comparable form (see {@link ColumnType#parse(String)}):
 * one value for ONE and TEXT (lower-cased), the list for LIST, low and high for RANGE,
 * nothing for DAYS (see {@code days}) and NONE.
 */
public record Condition(String field, ColumnType type, Operator operator, List<Object> values, int days)
        implements Clause {

    public Condition {
        values = List.copyOf(values);
    }

    public Object value() {
        return values.get(0);
    }
}
