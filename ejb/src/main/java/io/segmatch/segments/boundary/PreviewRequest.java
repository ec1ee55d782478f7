package io.segmatch.segments.boundary;

import io.segmatch.segments.evaluation.RuleRequest;

/**
 * A preview as asked for: a rule over a dataset, counted among its first {@code limit} rows.
 *
 * @param datasetId the dataset, or null when missing (or not text)
 * @param rule      the rule
 * @param limit     how many rows to scan, 0 for all, null for the default
 *                  ({@value Segments#DEFAULT_PREVIEW_ROWS}); a negative value is refused
 */
public record PreviewRequest(String datasetId, RuleRequest rule, Long limit) {
}
