package io.segmatch.segments.entity;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated segment rule: 1 to 50 clauses joined by AND or OR. A clause is a condition, a
 * group (nested at most {@value #MAX_DEPTH} levels below the top) or a reference to another
 * segment; the whole rule holds at most {@value #MAX_CONDITIONS} conditions and references.
 */
public record Rule(Logic logic, List<Clause> conditions) {

    public static final int MAX_CONDITIONS = 50;
    public static final int MAX_DEPTH = 3;
    public static final int MAX_LIST_VALUES = 1000;

    public Rule {
        conditions = List.copyOf(conditions);
    }

    /**
     * Every condition on a column the rule evaluates, depth first in the order written, those
     * of referred segments' rules included (where the reference stands): evaluators that read
     * each leaf's value by its index ({@code RuleEvaluator#matchesParsed}) use this order.
     */
    public List<Condition> leaves() {
        List<Condition> leaves = new ArrayList<>();
        collect(conditions, leaves);
        return leaves;
    }

    private static void collect(List<Clause> clauses, List<Condition> into) {
        for (Clause clause : clauses) {
            if (clause instanceof Condition c) {
                into.add(c);
            } else if (clause instanceof Group g) {
                collect(g.clauses(), into);
            } else if (clause instanceof SegmentCondition s) {
                collect(s.rule().conditions(), into);
            }
        }
    }
}
