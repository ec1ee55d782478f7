package io.segmatch.segments.entity;

import io.segmatch.datasets.entity.ColumnType;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static io.segmatch.datasets.entity.ColumnType.BOOLEAN;
import static io.segmatch.datasets.entity.ColumnType.DATE;
import static io.segmatch.datasets.entity.ColumnType.NUMBER;
import static io.segmatch.datasets.entity.ColumnType.STRING;
import static io.segmatch.datasets.entity.ColumnType.TIMESTAMP;

/** The operators of a segment condition, the column types each takes and its value's shape (docs/segments.md). */
public enum Operator {
    EQ(Shape.ONE, false, STRING, NUMBER, DATE, TIMESTAMP, BOOLEAN),
    NEQ(Shape.ONE, true, STRING, NUMBER, DATE, TIMESTAMP, BOOLEAN),
    CONTAINS(Shape.TEXT, false, STRING),
    NOT_CONTAINS(Shape.TEXT, true, STRING),
    STARTS_WITH(Shape.TEXT, false, STRING),
    ENDS_WITH(Shape.TEXT, false, STRING),
    IN(Shape.LIST, false, STRING, NUMBER),
    NOT_IN(Shape.LIST, true, STRING, NUMBER),
    GT(Shape.ONE, false, NUMBER, DATE, TIMESTAMP),
    GTE(Shape.ONE, false, NUMBER, DATE, TIMESTAMP),
    LT(Shape.ONE, false, NUMBER, DATE, TIMESTAMP),
    LTE(Shape.ONE, false, NUMBER, DATE, TIMESTAMP),
    BETWEEN(Shape.RANGE, false, NUMBER, DATE, TIMESTAMP),
    IN_LAST_DAYS(Shape.DAYS, false, DATE, TIMESTAMP),
    IS_SET(Shape.NONE, false, STRING, NUMBER, DATE, TIMESTAMP, BOOLEAN),
    IS_NOT_SET(Shape.NONE, true, STRING, NUMBER, DATE, TIMESTAMP, BOOLEAN);

    /** What a condition's value looks like for this operator. */
    public enum Shape {
        /** one value of the column's type */
        ONE,
        /** a non-empty string */
        TEXT,
        /** an array of 1 to 1000 values of the column's type */
        LIST,
        /** [low, high], low ≤ high */
        RANGE,
        /** an integer N ≥ 0 */
        DAYS,
        /** no value */
        NONE
    }

    public final Shape shape;
    private final boolean matchesMissing;
    private final Set<ColumnType> types;

    Operator(Shape shape, boolean matchesMissing, ColumnType first, ColumnType... more) {
        this.shape = shape;
        this.matchesMissing = matchesMissing;
        this.types = EnumSet.of(first, more);
    }

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Operator> fromApiName(String name) {
        for (Operator op : values()) {
            if (op.apiName().equals(name)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    /** Whether a column of this type takes the operator. */
    public boolean takes(ColumnType type) {
        return types.contains(type);
    }

    /** The operators a column of this type takes, in declaration order. */
    public static List<Operator> forType(ColumnType type) {
        return Arrays.stream(values()).filter(op -> op.takes(type)).toList();
    }

    /** Whether a row whose value is missing matches: only is_not_set, neq, not_contains and not_in. */
    public boolean matchesMissing() {
        return matchesMissing;
    }
}
