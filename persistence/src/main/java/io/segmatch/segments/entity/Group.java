package io.segmatch.segments.entity;

import java.util.List;

/** A group of a rule: its clauses (1 to 50) joined by its own logic, as the top level is. */
public record Group(Logic logic, List<Clause> clauses) implements Clause {

    public Group {
        clauses = List.copyOf(clauses);
    }
}
