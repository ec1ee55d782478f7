package io.segmatch.datasets.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link ColumnType} by its lower-case API name. */
@Converter
public class ColumnTypeConverter implements AttributeConverter<ColumnType, String> {

    @Override
    public String convertToDatabaseColumn(ColumnType type) {
        return type == null ? null : type.apiName();
    }

    @Override
    public ColumnType convertToEntityAttribute(String name) {
        return name == null ? null : ColumnType.fromApiName(name).orElseThrow(
                () -> new IllegalStateException("unknown column type in the database: " + name));
    }
}
