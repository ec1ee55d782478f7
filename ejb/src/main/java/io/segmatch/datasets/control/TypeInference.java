package io.segmatch.datasets.control;

import io.segmatch.datasets.entity.ColumnType;

import java.util.EnumSet;

/**
 * Infers one column's type from its non-missing values: the first of boolean, number,
 * date, timestamp that every value conforms to, otherwise string (docs/segments.md).
 */
public final class TypeInference {

    private static final ColumnType[] ORDER = {ColumnType.BOOLEAN, ColumnType.NUMBER, ColumnType.DATE, ColumnType.TIMESTAMP};

    private final EnumSet<ColumnType> possible = EnumSet.of(ColumnType.BOOLEAN, ColumnType.NUMBER,
            ColumnType.DATE, ColumnType.TIMESTAMP);
    private boolean sawValue;

    /** Observes one non-missing, trimmed value. */
    public void observe(String value) {
        sawValue = true;
        if (possible.isEmpty()) {
            return;
        }
        possible.removeIf(type -> !type.conforms(value));
    }

    /** The inferred type; a column without values is a string column. */
    public ColumnType result() {
        if (!sawValue) {
            return ColumnType.STRING;
        }
        for (ColumnType type : ORDER) {
            if (possible.contains(type)) {
                return type;
            }
        }
        return ColumnType.STRING;
    }
}
