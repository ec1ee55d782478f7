package io.segmatch.datasets.api;

import io.segmatch.datasets.boundary.DatasetPatch;
import io.segmatch.shared.api.JsonBody;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the JSON request bodies of the datasets API, answering 400 for any malformed part. */
final class JsonBodies {

    private JsonBodies() {
    }

    /** Row values: strings, or numbers and booleans taken as their text; null clears. */
    static Map<String, String> rowValues(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        JsonBody.object(body).forEach((column, value) -> {
            switch (value.getValueType()) {
                case STRING -> values.put(column, ((JsonString) value).getString());
                case NUMBER -> values.put(column, ((JsonNumber) value).toString());
                case TRUE -> values.put(column, "true");
                case FALSE -> values.put(column, "false");
                case NULL -> values.put(column, null);
                default -> errors.add(FieldError.field(column, "a value must be a string, number, boolean or null"));
            }
        });
        if (!errors.isEmpty()) {
            throw SegmatchException.invalid("invalid-row", errors.get(0).message(), errors);
        }
        return values;
    }

    static DatasetPatch datasetPatch(String body) {
        JsonObject o = JsonBody.object(body);
        List<FieldError> errors = new ArrayList<>();
        String name = null;
        if (o.containsKey("name")) {
            if (o.get("name").getValueType() == JsonValue.ValueType.STRING) {
                name = o.getString("name");
            } else {
                errors.add(FieldError.field("name", "must be a string"));
            }
        }
        Map<String, String> columns = stringMap(o, "columns", false, errors);
        Map<String, String> identifiers = o.containsKey("identifiers") ? stringMap(o, "identifiers", true, errors) : null;
        for (String key : o.keySet()) {
            if (!List.of("name", "columns", "identifiers").contains(key)) {
                errors.add(FieldError.field(key, "unknown field (name, columns or identifiers)"));
            }
        }
        if (!errors.isEmpty()) {
            throw SegmatchException.invalid("invalid-dataset", errors.get(0).message(), errors);
        }
        return new DatasetPatch(name, columns, identifiers);
    }

    private static Map<String, String> stringMap(JsonObject o, String field, boolean nullable, List<FieldError> errors) {
        Map<String, String> map = new LinkedHashMap<>();
        if (!o.containsKey(field) || o.isNull(field)) {
            return map;
        }
        if (o.get(field).getValueType() != JsonValue.ValueType.OBJECT) {
            errors.add(FieldError.field(field, "must be an object"));
            return map;
        }
        o.getJsonObject(field).forEach((k, v) -> {
            if (v.getValueType() == JsonValue.ValueType.STRING) {
                map.put(k, ((JsonString) v).getString());
            } else if (nullable && v.getValueType() == JsonValue.ValueType.NULL) {
                map.put(k, null);
            } else {
                errors.add(FieldError.field(field + "." + k, nullable ? "must be a string or null" : "must be a string"));
            }
        });
        return map;
    }
}
