package io.segmatch.membership.evaluation;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.segments.entity.Condition;
import io.segmatch.segments.evaluation.RuleEvaluator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Segments of one dataset compiled for evaluating many rows against all of them: each column
 * their rules use is parsed once per row (not once per condition), then every rule reads the
 * parsed values ({@link RuleEvaluator#matchesParsed}), with the same answers as
 * {@link RuleEvaluator#matches}.
 */
public final class SegmentSet {

    private record Slot(String field, ColumnType type) {
    }

    private final List<SegmentRule> segments;
    private final List<Slot> slots;
    private final int[][] slotOf;
    private final RuleEvaluator[] evaluators;

    public SegmentSet(List<SegmentRule> segments, Instant now) {
        this.segments = List.copyOf(segments);
        Map<Slot, Integer> index = new LinkedHashMap<>();
        slotOf = new int[segments.size()][];
        evaluators = new RuleEvaluator[segments.size()];
        for (int s = 0; s < segments.size(); s++) {
            List<Condition> conditions = segments.get(s).rule().leaves();
            slotOf[s] = new int[conditions.size()];
            for (int i = 0; i < conditions.size(); i++) {
                Condition c = conditions.get(i);
                slotOf[s][i] = index.computeIfAbsent(new Slot(c.field(), c.type()), k -> index.size());
            }
            evaluators[s] = new RuleEvaluator(segments.get(s).rule(), now);
        }
        slots = new ArrayList<>(index.keySet());
    }

    public List<SegmentRule> segments() {
        return segments;
    }

    public int size() {
        return segments.size();
    }

    /** The columns to read for a row, in slot order (a column may repeat if read as two types). */
    public List<String> fields() {
        return slots.stream().map(Slot::field).toList();
    }

    /** The parsed values of a row from its raw values in {@link #fields()} order (null: missing). */
    public Object[] parse(String[] raw) {
        Object[] parsed = new Object[slots.size()];
        for (int i = 0; i < parsed.length; i++) {
            parsed[i] = slots.get(i).type().parse(raw[i]);
        }
        return parsed;
    }

    /** The parsed values of a row from its stored values. */
    public Object[] parse(Map<String, String> values) {
        Object[] parsed = new Object[slots.size()];
        for (int i = 0; i < parsed.length; i++) {
            parsed[i] = slots.get(i).type().parse(values.get(slots.get(i).field()));
        }
        return parsed;
    }

    /** Whether the row (parsed by {@link #parse}) matches the s-th segment. */
    public boolean matches(int s, Object[] parsed) {
        int[] slot = slotOf[s];
        return evaluators[s].matchesParsed(i -> parsed[slot[i]]);
    }
}
