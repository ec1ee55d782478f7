package io.segmatch.segments.store;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.store.StoredRow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dataset's first rows in key order, held in memory for repeated previews, with each
 * column parsed once per type ({@link ColumnType#parse}) the first time a rule uses it.
 * Immutable apart from that cache; safe to share between threads.
 */
public final class RowWindow {

    private final List<StoredRow> rows;
    private final Map<String, Object[]> parsed = new ConcurrentHashMap<>();

    public RowWindow(List<StoredRow> rows) {
        this.rows = List.copyOf(rows);
    }

    public List<StoredRow> rows() {
        return rows;
    }

    /** Each row's value of {@code field} as {@code type.parse} gives it, in row order. */
    public Object[] column(String field, ColumnType type) {
        return parsed.computeIfAbsent(type.apiName() + ':' + field, k -> {
            Object[] values = new Object[rows.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = type.parse(rows.get(i).values().get(field));
            }
            return values;
        });
    }
}
