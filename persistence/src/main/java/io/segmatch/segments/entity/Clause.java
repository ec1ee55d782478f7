package io.segmatch.segments.entity;

/**
 * One part of a validated rule: a condition on a column, a group of parts joined by its own
 * AND or OR, or a test of membership of another segment of the same dataset.
 */
public sealed interface Clause permits Condition, Group, SegmentCondition {
}
