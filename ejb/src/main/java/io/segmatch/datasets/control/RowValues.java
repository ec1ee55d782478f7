package io.segmatch.datasets.control;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;

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
     * The key of a row endpoint, as uploads store keys: trimmed, not empty, storable and
     * short enough; for a row about to be created, also of the key column's type.
     */
    public static String key(Dataset dataset, String key, boolean creating) {
        String trimmed = SegmatchException.storable("key", key == null ? "" : key.trim());
        List<FieldError> errors = new ArrayList<>();
        if (trimmed.isEmpty()) {
            errors.add(FieldError.field("key", "the key must not be empty"));
        } else if (UploadProcessor.tooLong(trimmed)) {
            errors.add(FieldError.field("key", "the key is longer than " + UploadProcessor.MAX_KEY_BYTES + " bytes"));
        } else if (creating) {
            DatasetColumn keyColumn = dataset.column(dataset.getKeyColumn()).orElse(null);
            if (keyColumn != null && !keyColumn.getType().conforms(trimmed)) {
                errors.add(FieldError.field("key", "the key column '" + keyColumn.getName() + "' holds "
                        + UploadProcessor.article(keyColumn.getType()) + ", not '" + UploadProcessor.abbreviate(trimmed) + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw SegmatchException.invalid("invalid-key", errors.get(0).message(), errors);
        }
        return trimmed;
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
