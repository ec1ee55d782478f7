package io.segmatch.datasets.control;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.shared.control.SegmatchException;
import io.segmatch.shared.control.SegmatchException.FieldError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values written through the row endpoints: checked against the dataset's columns and
 * types like an uploaded row, then merged into the stored values.
 */
public final class RowValues {

    private RowValues() {
    }

    /**
     * Validates values by column name (ignoring case); returns them under the dataset's
     * column names, trimmed, with null for a value to clear.
     */
    public static Map<String, String> check(Dataset dataset, String key, Map<String, String> values) {
        Map<String, String> checked = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            DatasetColumn column = dataset.column(e.getKey()).orElse(null);
            if (column == null) {
                errors.add(FieldError.field(e.getKey(), "unknown column '" + e.getKey() + "'; the dataset's columns are: "
                        + String.join(", ", dataset.getColumns().stream().map(DatasetColumn::getName).toList())));
                continue;
            }
            String value = e.getValue() == null ? null : e.getValue().trim();
            if (value != null && value.isEmpty()) {
                value = null;
            }
            if (column.getName().equals(dataset.getKeyColumn())) {
                if (value == null || !value.equals(key)) {
                    errors.add(FieldError.field(e.getKey(), "the key column '" + column.getName()
                            + "' must equal the row's key '" + key + "'"));
                }
                continue;
            }
            if (value != null && value.indexOf('\0') >= 0) {
                errors.add(FieldError.field(e.getKey(), "the value contains a NUL character"));
                continue;
            }
            if (value != null && column.getType() != ColumnType.STRING && !column.getType().conforms(value)) {
                errors.add(FieldError.field(e.getKey(), "expected " + UploadProcessor.article(column.getType())
                        + ", found '" + UploadProcessor.abbreviate(value) + "'"));
                continue;
            }
            checked.put(column.getName(), value);
        }
        if (key.isBlank()) {
            errors.add(FieldError.field("key", "the key must not be empty"));
        }
        if (!errors.isEmpty()) {
            throw SegmatchException.invalid("invalid-row", errors.size() == 1 ? errors.get(0).message()
                    : errors.size() + " values are invalid", errors);
        }
        return checked;
    }

    /** The stored values with the changes applied (null removes a value). */
    public static Map<String, String> merge(Map<String, String> stored, Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(stored);
        changes.forEach((column, value) -> {
            if (value == null) {
                merged.remove(column);
            } else {
                merged.put(column, value);
            }
        });
        return merged;
    }
}
