package io.segmatch.shared.api;

import io.segmatch.shared.control.SegmatchException;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;

import static io.segmatch.shared.json.Jsons.JSON;

/** Reads a JSON object request body, answering 400 for anything else. */
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

}
