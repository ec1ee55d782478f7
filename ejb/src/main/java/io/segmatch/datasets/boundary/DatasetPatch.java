package io.segmatch.datasets.boundary;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.Identifiers;
import io.segmatch.shared.error.SegmatchException.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A change to a dataset's metadata ({@code PATCH /api/datasets/{id}}): any of a new name,
 * column types by column name, and identifier roles (a null column clears a role).
 *
 * @param identifiers null when not changed; a role mapped to null is cleared
 */
public record DatasetPatch(String name, Map<String, String> columns, Map<String, String> identifiers) {

    public DatasetPatch {
        columns = columns == null ? Map.of() : columns;
    }

    /** Every problem with this patch against the dataset, by field. */
    List<FieldError> validate(Dataset dataset) {
        List<FieldError> errors = new ArrayList<>();
        if (name != null && (name.isBlank() || name.trim().length() > 200)) {
            errors.add(FieldError.field("name", "a name of 1 to 200 characters"));
        } else if (name != null && name.indexOf('\0') >= 0) {
            errors.add(FieldError.field("name", "contains a NUL character"));
        }
        columns.forEach((column, type) -> {
            if (dataset.column(column).isEmpty()) {
                errors.add(FieldError.field("columns." + column, "unknown column '" + column + "'"));
            } else if (ColumnType.fromApiName(type).isEmpty()) {
                errors.add(FieldError.field("columns." + column, "unknown type '" + type
                        + "' (string, number, boolean, date or timestamp)"));
            }
        });
        if (identifiers != null) {
            identifiers.forEach((role, value) -> {
                if (role.equals("defaultPhoneRegion")) {
                    if (value != null && !value.trim().matches("[A-Za-z]{2}")) {
                        errors.add(FieldError.field("identifiers.defaultPhoneRegion",
                                "a two-letter region code such as DE or US"));
                    }
                } else if (!Identifiers.ROLES.contains(role)) {
                    errors.add(FieldError.field("identifiers." + role, "unknown role '" + role + "' (one of "
                            + String.join(", ", Identifiers.ROLES) + ", defaultPhoneRegion)"));
                } else if (value != null && dataset.column(value).isEmpty()) {
                    errors.add(FieldError.field("identifiers." + role, "unknown column '" + value + "'"));
                }
            });
        }
        return errors;
    }

    void applyIdentifiers(Dataset dataset) {
        if (identifiers == null) {
            return;
        }
        Identifiers target = dataset.getIdentifiers();
        identifiers.forEach((role, value) -> {
            if (role.equals("defaultPhoneRegion")) {
                target.setDefaultPhoneRegion(value == null ? null : value.trim().toUpperCase(Locale.ROOT));
            } else {
                target.setColumn(role, value == null ? null : dataset.column(value).orElseThrow().getName());
            }
        });
    }
}
