package io.segmatch.shared.api;

import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;

import static io.segmatch.shared.json.Jsons.JSON;

/** Reads a JSON object request body and its fields, answering 400 for anything else. */
public final class JsonBody {

    private JsonBody() {
    }

    public static JsonObject object(String body) {
        if (body == null || body.isBlank()) {
            throw SegmatchException.invalid("invalid-json", "the request needs a JSON object body");
        }
        try (JsonReader reader = JSON.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw SegmatchException.invalid("invalid-json", "the body must be a JSON object");
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw SegmatchException.invalid("invalid-json", "the body is not valid JSON: " + e.getMessage());
        } catch (SegmatchException e) {
            throw e;
        } catch (RuntimeException e) {
            // the parser refuses some inputs (such as numbers of over 1100 digits) this way
            throw SegmatchException.invalid("invalid-json", "the body cannot be read as JSON: " + e.getMessage());
        }
    }

    /**
     * A text field of a body: its string, or null when it is absent or null. Any other JSON type
     * is refused with a 400 that names the field (a number for a date must not pass as "none").
     */
    public static String text(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw SegmatchException.invalid("invalid-field", name + " must be a string",
                List.of(FieldError.field(name, "must be a string, not " + value.getValueType().name().toLowerCase(Locale.ROOT))));
    }
}
