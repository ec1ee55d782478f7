package io.segmatch.segments.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Locale;

/** Stores a segment's status by its lower-case API name. */
@Converter
public class StatusConverter implements AttributeConverter<Segment.Status, String> {

    @Override
    public String convertToDatabaseColumn(Segment.Status status) {
        return status == null ? null : status.apiName();
    }

    @Override
    public Segment.Status convertToEntityAttribute(String value) {
        return value == null ? null : Segment.Status.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
