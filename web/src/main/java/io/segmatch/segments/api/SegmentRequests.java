package io.segmatch.segments.api;

import io.segmatch.segments.boundary.PreviewRequest;
import io.segmatch.segments.boundary.SegmentRequest;
import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.shared.api.JsonBody;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The API's JSON bodies as the segments boundary's requests. Nothing is refused here: a field
 * of the wrong type arrives as missing (or, for the preview's limit, as invalid), and the
 * boundary names every problem with its path, as it does for the console's builder.
 */
final class SegmentRequests {

    private SegmentRequests() {
    }

    /** {@code {"name", "datasetId", "logic", "conditions", "activation"}}. */
    static SegmentRequest segment(String body) {
        JsonObject json = JsonBody.object(body);
        return new SegmentRequest(text(json.get("name")), text(json.get("datasetId")), RuleRequest.of(json),
                json.get("activation"));
    }

    /** {@code {"datasetId", "logic", "conditions", "limit"}}. */
    static PreviewRequest preview(String body) {
        JsonObject json = JsonBody.object(body);
        return new PreviewRequest(text(json.get("datasetId")), RuleRequest.of(json), limit(json.get("limit")));
    }

    /** Absent or null: the default; a whole number: it; anything else: -1, which the boundary refuses. */
    private static Long limit(JsonValue value) {
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        return value instanceof JsonNumber n && n.isIntegral() && n.bigIntegerValue().bitLength() < 63 ? n.longValue() : -1L;
    }

    private static String text(JsonValue value) {
        return value instanceof JsonString s ? s.getString() : null;
    }
}
