package io.segmatch.segments.view;

import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Rule;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule the segment builder edits, as a tree: the top level's entries, each a condition or
 * a group holding entries in turn. It knows the structural edits (add, remove, group, move
 * in and out) within the rule's limits — groups at most {@value Rule#MAX_DEPTH} levels below
 * the top, at most {@value Rule#MAX_CONDITIONS} conditions — and draws itself as the lines
 * the page shows.
 */
final class RuleTree implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The top level's entries. */
    final List<ConditionRow> rows = new ArrayList<>();

    /** The rule as the lines the page draws, in order; {@code logic} is the top level's. */
    List<BuilderLine> lines(String logic) {
        List<BuilderLine> lines = new ArrayList<>();
        lines(rows, null, 0, "conditions", logic, lines, new int[2]);
        return lines;
    }

    private static void lines(List<ConditionRow> list, ConditionRow parent, int depth, String path, String logic,
                              List<BuilderLine> into, int[] counters) {
        for (int i = 0; i < list.size(); i++) {
            ConditionRow row = list.get(i);
            String joiner = i == 0 ? (parent == null ? "where" : "") : logic.equals("AND") ? "and" : "or";
            String at = path + "[" + i + "]";
            int number = row.isGroup() ? ++counters[1] : ++counters[0];
            into.add(new BuilderLine(row, depth, at, number, joiner));
            if (row.isGroup()) {
                lines(row.children, row, depth + 1, at + ".conditions", row.logic, into, counters);
            }
        }
    }

    /** How many conditions the rule holds (groups not counted). */
    int conditions() {
        return count(rows);
    }

    private static int count(List<ConditionRow> list) {
        int n = 0;
        for (ConditionRow r : list) {
            n += r.isGroup() ? count(r.children) : 1;
        }
        return n;
    }

    boolean canAdd() {
        return conditions() < Rule.MAX_CONDITIONS;
    }

    /** Adds an empty condition at the end of the rule. */
    void addCondition() {
        if (canAdd()) {
            rows.add(new ConditionRow());
        }
    }

    /** Adds a group (one empty condition, the other logic than {@code outerLogic}) at the end of the rule. */
    void addGroup(String outerLogic) {
        if (canAdd()) {
            rows.add(ConditionRow.group(other(outerLogic)));
        }
    }

    void addConditionTo(ConditionRow group) {
        if (group.isGroup() && canAdd()) {
            group.children.add(new ConditionRow());
        }
    }

    void addGroupTo(ConditionRow group) {
        if (group.isGroup() && canNestIn(group) && canAdd()) {
            group.children.add(ConditionRow.group(other(group.logic)));
        }
    }

    private static String other(String logic) {
        return Logic.AND.name().equals(logic) ? Logic.OR.name() : Logic.AND.name();
    }

    /** Removes a condition or a whole group; a group left empty goes too; the rule keeps one entry. */
    void remove(ConditionRow row) {
        detach(row);
        if (rows.isEmpty()) {
            rows.add(new ConditionRow());
        }
    }

    /** Dissolves a group: its entries take its place. */
    void ungroup(ConditionRow group) {
        List<ConditionRow> list = listOf(group);
        if (list != null && group.isGroup()) {
            int at = list.indexOf(group);
            list.remove(at);
            list.addAll(at, group.children);
        }
    }

    /**
     * Moves an entry into a group: into the group just before it (at its end), or, when the
     * entry before it is not a group (or has no room), into a new group of its own at its place.
     */
    void moveIn(ConditionRow row) {
        List<ConditionRow> list = listOf(row);
        if (list == null) {
            return;
        }
        int at = list.indexOf(row);
        ConditionRow before = at > 0 ? list.get(at - 1) : null;
        if (before != null && before.isGroup() && depthOf(before) + 1 + height(row) <= Rule.MAX_DEPTH) {
            list.remove(at);
            before.children.add(row);
        } else if (canMoveIn(row)) {
            ConditionRow group = new ConditionRow();
            group.logic = Logic.AND.name();
            group.children.add(row);
            list.set(at, group);
        }
    }

    /** Moves an entry out of its group, to just after the group; a group left empty goes. */
    void moveOut(ConditionRow row) {
        ConditionRow group = parentOf(row, null, rows);
        if (group == null) {
            return;
        }
        List<ConditionRow> outer = listOf(group);
        group.children.remove(row);
        outer.add(outer.indexOf(group) + 1, row);
        if (group.children.isEmpty()) {
            outer.remove(group);
        }
    }

    /** Whether a group may hold another group. */
    boolean canNestIn(ConditionRow group) {
        return depthOf(group) + 2 <= Rule.MAX_DEPTH;
    }

    /** Whether an entry can go into a group (the groups it holds stay within the depth). */
    boolean canMoveIn(ConditionRow row) {
        return listOf(row) != null && depthOf(row) + 1 + height(row) <= Rule.MAX_DEPTH;
    }

    /** Whether an entry is in a group. */
    boolean canMoveOut(ConditionRow row) {
        return parentOf(row, null, rows) != null;
    }

    /** The list an entry is in (the rule's, or its group's); null if it is gone. */
    private List<ConditionRow> listOf(ConditionRow row) {
        if (rows.contains(row)) {
            return rows;
        }
        ConditionRow parent = parentOf(row, null, rows);
        return parent == null ? null : parent.children;
    }

    private static ConditionRow parentOf(ConditionRow row, ConditionRow parent, List<ConditionRow> list) {
        for (ConditionRow r : list) {
            if (r == row) {
                return parent;
            }
            if (r.isGroup()) {
                ConditionRow found = parentOf(row, r, r.children);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Removes an entry from its list; a group left empty is removed from its own. */
    private void detach(ConditionRow row) {
        ConditionRow parent = parentOf(row, null, rows);
        if (parent == null) {
            rows.remove(row);
            return;
        }
        parent.children.remove(row);
        if (parent.children.isEmpty()) {
            detach(parent);
        }
    }

    /** How many groups an entry stands in: 0 at the top level. */
    int depthOf(ConditionRow row) {
        int depth = 0;
        for (ConditionRow p = parentOf(row, null, rows); p != null; p = parentOf(p, null, rows)) {
            depth++;
        }
        return depth;
    }

    /** How many levels of groups an entry holds: 0 for a condition, 1 for a group of conditions. */
    private static int height(ConditionRow row) {
        return row.isGroup() ? 1 + row.children.stream().mapToInt(RuleTree::height).max().orElse(0) : 0;
    }
}
