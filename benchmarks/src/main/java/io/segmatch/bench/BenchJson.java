package io.segmatch.bench;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.List;
import java.util.Optional;

/** The API's answers read with JSON Processing (the parser the fake of Google brings along). */
final class BenchJson {

    private static final JsonProvider JSON = JsonProvider.provider();

    private BenchJson() {
    }

    /**
     * The first field of that name, depth first (a segment's {@code memberCount}, a run's
     * {@code status}), as text: a string's value, anything else as JSON; "?" when there is none.
     */
    static String field(String json, String name) {
        return find(read(json), name).map(v -> v instanceof JsonString s ? s.getString() : v.toString()).orElse("?");
    }

    /** The objects of a JSON array's text, each as its own JSON text. */
    static List<String> objects(String array) {
        return read(array).asJsonArray().stream().map(JsonValue::toString).toList();
    }

    /** The objects of the first array field of that name (a run's {@code jobs}), each as its own JSON text. */
    static List<String> objects(String json, String name) {
        return find(read(json), name).map(v -> v.asJsonArray().stream().map(JsonValue::toString).toList()).orElse(List.of());
    }

    private static JsonStructure read(String json) {
        try (var reader = JSON.createReader(new StringReader(json))) {
            return reader.read();
        }
    }

    private static Optional<JsonValue> find(JsonValue value, String name) {
        if (value instanceof JsonObject object) {
            if (object.containsKey(name)) {
                return Optional.of(object.get(name));
            }
            for (JsonValue child : object.values()) {
                Optional<JsonValue> found = find(child, name);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (value instanceof JsonArray array) {
            for (JsonValue child : array) {
                Optional<JsonValue> found = find(child, name);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
