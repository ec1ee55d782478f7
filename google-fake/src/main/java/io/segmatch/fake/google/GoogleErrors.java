package io.segmatch.fake.google;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static io.segmatch.fake.google.Exchanges.requestId;

/** Google's error bodies: {@code google.rpc.Status} with {@code GoogleAdsFailure} details and field paths. */
final class GoogleErrors {

    private GoogleErrors() {
    }

    static JsonObjectBuilder error(String kind, String code, String message) {
        return Json.createObjectBuilder().add("errorCode", Json.createObjectBuilder().add(kind, code)).add("message", message);
    }

    static JsonObjectBuilder located(JsonObjectBuilder error, int operation, String... fields) {
        JsonArrayBuilder path = Json.createArrayBuilder().add(Json.createObjectBuilder().add("fieldName", "operations")
                .add("index", operation));
        for (String f : fields) {
            path.add(Json.createObjectBuilder().add("fieldName", f));
        }
        return error.add("location", Json.createObjectBuilder().add("fieldPathElements", path));
    }

    /** A {@code google.rpc.Status} error body with a {@code GoogleAdsFailure} detail. */
    static JsonObject failure(int http, String status, String message, JsonObjectBuilder... errors) {
        JsonObjectBuilder error = Json.createObjectBuilder().add("code", http).add("message", message).add("status", status);
        if (errors.length > 0) {
            JsonArrayBuilder list = Json.createArrayBuilder();
            for (JsonObjectBuilder e : errors) {
                list.add(e);
            }
            error.add("details", Json.createArrayBuilder().add(Json.createObjectBuilder()
                    .add("@type", "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure")
                    .add("errors", list).add("requestId", requestId())));
        }
        return Json.createObjectBuilder().add("error", error).build();
    }
}
