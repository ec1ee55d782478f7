package io.segmatch.segments.view;

/**
 * One line of the segment builder as drawn: an entry of the rule (a condition or a group's
 * header) at its depth, with where it sits (its path in the rule, as the boundary's messages
 * name it) and the words that join it to the entry before it. The builder draws the rule's
 * tree as these lines, in order.
 */
public final class BuilderLine {

    private final ConditionRow row;
    private final int depth;
    private final String path;
    private final int number;
    private final String joiner;

    BuilderLine(ConditionRow row, int depth, String path, int number, String joiner) {
        this.row = row;
        this.depth = depth;
        this.path = path;
        this.number = number;
        this.joiner = joiner;
    }

    public ConditionRow getRow() {
        return row;
    }

    /** 0 for the top level's entries, 1 inside a group, and so on. */
    public int getDepth() {
        return depth;
    }

    /** The entry's path in the rule: {@code conditions[1].conditions[0]}. */
    public String getPath() {
        return path;
    }

    /** The condition's number (1 for the first condition of the rule), or the group's. */
    public int getNumber() {
        return number;
    }

    /** "where" for the first entry of a list, else "and" or "or" by its list's logic. */
    public String getJoiner() {
        return joiner;
    }

    /** What the entry is called in labels: "condition 3", "group 2". */
    public String getLabel() {
        return (row.isGroup() ? "group " : "condition ") + number;
    }
}
