package io.segmatch.segments;

import io.segmatch.membership.evaluation.SegmentRule;
import io.segmatch.membership.evaluation.SegmentSet;
import io.segmatch.segments.entity.Clause;
import io.segmatch.segments.entity.Rule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shared evaluator suite, run the way processing runs evaluate rows: the rule compiled in
 * a set with a second segment holding the same conditions in reverse order (so the columns
 * are shared between segments in another slot order), each column parsed once per row. Both
 * segments must agree on every row.
 */
class SegmentSetEvaluatorTest extends EvaluatorContract {

    @Override
    protected Set<String> matching(Rule rule, Map<String, Map<String, String>> rows, Instant now) {
        List<Clause> reversed = new ArrayList<>(rule.conditions());
        Collections.reverse(reversed);
        SegmentSet set = new SegmentSet(List.of(
                new SegmentRule("reversed", "d", 1, new Rule(rule.logic(), reversed), false, 1),
                new SegmentRule("rule", "d", 2, rule, false, 1)), now);
        Set<String> keys = new HashSet<>();
        rows.forEach((key, values) -> {
            Object[] parsed = set.parse(values);
            boolean match = set.matches(1, parsed);
            if (match != set.matches(0, parsed)) {
                throw new AssertionError("the same conditions in reverse order disagree on " + key);
            }
            String[] raw = set.fields().stream().map(values::get).toArray(String[]::new);
            if (match != set.matches(1, set.parse(raw))) {
                throw new AssertionError("values read by column disagree with values by name on " + key);
            }
            if (match) {
                keys.add(key);
            }
        });
        return keys;
    }
}
