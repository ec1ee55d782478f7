package io.segmatch.segments.view;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder's structural edits: groups made and dissolved, entries moved in and out, the limits kept. */
class RuleTreeTest {

    /** The tree drawn as text: a condition is its field, a group {@code LOGIC(…)}. */
    static String shape(RuleTree tree) {
        return shape(tree.rows);
    }

    static String shape(List<ConditionRow> rows) {
        StringBuilder b = new StringBuilder();
        for (ConditionRow r : rows) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(r.isGroup() ? r.logic + "(" + shape(r.children) + ")" : r.field);
        }
        return b.toString();
    }

    static ConditionRow condition(String field) {
        ConditionRow row = new ConditionRow();
        row.field = field;
        return row;
    }

    static RuleTree tree(String... fields) {
        RuleTree tree = new RuleTree();
        for (String f : fields) {
            tree.rows.add(condition(f));
        }
        return tree;
    }

    @Test
    void movingInGroupsWithTheGroupAboveOrANewOne() {
        RuleTree tree = tree("a", "b", "c", "d");
        tree.moveIn(tree.rows.get(0));
        assertEquals("AND(a) b c d", shape(tree), "no group above: a group of its own");
        tree.moveIn(tree.rows.get(1));
        assertEquals("AND(a b) c d", shape(tree), "into the group just above, at its end");
        tree.addGroup("OR");
        ConditionRow second = tree.rows.get(3);
        second.children.get(0).field = "e";
        assertEquals("AND(a b) c d AND(e)", shape(tree), "a new group takes the other logic than its list's");
        tree.moveOut(tree.rows.get(0).children.get(0));
        assertEquals("AND(b) a c d AND(e)", shape(tree), "out: just after its group");
        tree.moveOut(tree.rows.get(0).children.get(0));
        assertEquals("b a c d AND(e)", shape(tree), "a group left empty goes");
        tree.ungroup(tree.rows.get(4));
        assertEquals("b a c d e", shape(tree));
    }

    @Test
    void groupsNestThreeLevelsBelowTheTopAndNoDeeper() {
        RuleTree tree = tree("a");
        ConditionRow a = tree.rows.get(0);
        tree.moveIn(a);
        tree.moveIn(a);
        tree.moveIn(a);
        assertEquals("AND(AND(AND(a)))", shape(tree));
        assertEquals(3, tree.depthOf(a));
        assertFalse(tree.canMoveIn(a), "a fourth level is refused");
        tree.moveIn(a);
        assertEquals("AND(AND(AND(a)))", shape(tree), "and nothing happens when asked");
        ConditionRow level3 = tree.rows.get(0).children.get(0).children.get(0);
        assertFalse(tree.canNestIn(level3));
        assertTrue(tree.canNestIn(tree.rows.get(0).children.get(0)));
        // a group holding a group cannot go where its inner group would be four levels down
        RuleTree other = tree("x");
        other.addGroup("AND");
        other.addGroupTo(other.rows.get(1));
        other.addGroupTo(other.rows.get(1).children.get(1));
        assertEquals("x OR(null AND(null OR(null)))", shape(other), "each new group takes the other logic");
        assertFalse(other.canMoveIn(other.rows.get(1)), "its groups would reach a fourth level");
    }

    @Test
    void removingKeepsTheRuleWithOneEntryAndDropsEmptyGroups() {
        RuleTree tree = tree("a", "b");
        tree.moveIn(tree.rows.get(1));
        ConditionRow b = tree.rows.get(1).children.get(0);
        tree.remove(b);
        assertEquals("a", shape(tree), "the group left empty goes with it");
        tree.remove(tree.rows.get(0));
        assertEquals(1, tree.rows.size(), "the rule keeps one (empty) condition");
        assertFalse(tree.rows.get(0).isGroup());
    }

    @Test
    void fiftyConditionsInAllHoweverGrouped() {
        RuleTree tree = new RuleTree();
        for (int i = 0; i < 25; i++) {
            tree.addCondition();
        }
        tree.addGroup("AND");
        ConditionRow group = tree.rows.get(25);
        for (int i = 0; i < 30; i++) {
            tree.addConditionTo(group);
        }
        assertEquals(50, tree.conditions());
        assertFalse(tree.canAdd());
        tree.addCondition();
        tree.addGroup("AND");
        assertEquals(50, tree.conditions(), "nothing added past the limit");
    }

    @Test
    void linesNameEachEntryByItsPathAndJoinItByItsListsLogic() {
        RuleTree tree = tree("a", "b", "c");
        tree.moveIn(tree.rows.get(1));
        tree.moveIn(tree.rows.get(2));
        tree.rows.get(1).logic = "OR";
        List<BuilderLine> lines = tree.lines("AND");
        assertEquals(List.of("conditions[0]", "conditions[1]", "conditions[1].conditions[0]", "conditions[1].conditions[1]"),
                lines.stream().map(BuilderLine::getPath).toList());
        assertEquals(List.of("where", "and", "", "or"), lines.stream().map(BuilderLine::getJoiner).toList());
        assertEquals(List.of("condition 1", "group 1", "condition 2", "condition 3"),
                lines.stream().map(BuilderLine::getLabel).toList());
        assertEquals(List.of(0, 0, 1, 1), lines.stream().map(BuilderLine::getDepth).toList());
    }
}
