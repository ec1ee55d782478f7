package io.segmatch.membership.evaluation;

import io.segmatch.segments.entity.Rule;

/**
 * A live segment as the processing run evaluates it: its rule, read against its dataset's
 * current columns, its number (in the rows' memberships), and whether its changes go to the
 * activation queue.
 */
public record SegmentRule(String segmentId, String datasetId, int number, Rule rule, boolean activated, long definitionVersion) {
}
