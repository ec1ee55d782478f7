package io.segmatch.segments.entity;

/**
 * "Is (not) a member of segment …": holds for a row when the row matches ({@code in}) or does
 * not match ({@code not_in}) the other segment's rule, which is carried here as validated when
 * this rule was read. A segment's members are the rows that match its rule, so this is
 * membership of that segment once processing has caught up; evaluating the rule itself
 * keeps every evaluator exact without reading memberships.
 *
 * @param segmentId the segment referred to
 * @param in        {@code in} (true) or {@code not_in} (false)
 * @param rule      its rule
 */
public record SegmentCondition(String segmentId, boolean in, Rule rule) implements Clause {

    public String operator() {
        return in ? "in" : "not_in";
    }
}
