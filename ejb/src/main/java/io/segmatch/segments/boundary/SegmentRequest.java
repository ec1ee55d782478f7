package io.segmatch.segments.boundary;

import io.segmatch.segments.evaluation.RuleRequest;
import jakarta.json.JsonValue;

/**
 * A segment as asked for (created or replaced), before it is checked: by the API and by the
 * console's builder alike.
 *
 * @param name       its name, or null when missing (or not text)
 * @param datasetId  the id of its dataset, or null when missing (or not text)
 * @param rule       its logic and conditions
 * @param activation its activation settings as sent ({@code {"googleAds": {…}}}), checked field by
 *                   field; null when absent
 */
public record SegmentRequest(String name, String datasetId, RuleRequest rule, JsonValue activation) {
}
