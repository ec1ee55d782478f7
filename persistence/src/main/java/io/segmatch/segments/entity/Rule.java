package io.segmatch.segments.entity;

import java.util.List;

/** A validated segment rule: a flat list of 1 to 50 conditions joined by AND or OR. */
public record Rule(Logic logic, List<Condition> conditions) {

    public static final int MAX_CONDITIONS = 50;
    public static final int MAX_LIST_VALUES = 1000;

    public Rule {
        conditions = List.copyOf(conditions);
    }
}
