package io.segmatch.membership.evaluation;

import io.segmatch.segments.entity.Rule;

/**
 * A live segment as the processing run evaluates it: its rule, read against its dataset's
 * current columns, and whether its changes go to the activation queue.
 */
public record SegmentRule(String segmentId, String datasetId, Rule rule, boolean activated, long definitionVersion) {
}
