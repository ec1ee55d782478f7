package io.segmatch.segments.view;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.segments.evaluation.RuleRequest.ClauseRequest;
import io.segmatch.segments.evaluation.RuleRequest.ConditionRequest;
import io.segmatch.segments.evaluation.RuleRequest.GroupRequest;
import io.segmatch.segments.evaluation.RuleValidator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever the user clicks in the builder, in whatever order, the rule it holds is one the
 * boundary accepts: no group deeper than three levels below the top, no empty group, at most
 * 50 conditions, never an empty rule — and every line is named by a path of its own.
 */
class RuleTreePropertyTest {

    /** One click: which button, on which line (modulo the lines there are). */
    record Click(int button, int line) {
    }

    @Provide
    Arbitrary<List<Click>> clicks() {
        return Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 60))
                .as(Click::new).list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 400)
    void everyTreeTheButtonsMakeIsARuleTheBoundaryTakes(@ForAll("clicks") List<Click> clicks) {
        RuleTree tree = new RuleTree();
        tree.rows.add(new ConditionRow());
        for (Click click : clicks) {
            List<BuilderLine> lines = tree.lines("AND");
            ConditionRow row = lines.get(click.line() % lines.size()).getRow();
            switch (click.button()) {
                case 0 -> tree.addCondition();
                case 1 -> tree.addGroup("AND");
                case 2 -> tree.addConditionTo(row);
                case 3 -> tree.addGroupTo(row);
                case 4 -> tree.remove(row);
                case 5 -> tree.ungroup(row);
                case 6 -> tree.moveIn(row);
                default -> tree.moveOut(row);
            }
            check(tree);
        }
    }

    private static void check(RuleTree tree) {
        assertFalse(tree.rows.isEmpty(), "the rule keeps an entry");
        List<BuilderLine> lines = tree.lines("AND");
        Set<String> paths = new HashSet<>();
        for (BuilderLine line : lines) {
            assertTrue(paths.add(line.getPath()), "one path per line: " + line.getPath());
            if (line.getRow().isGroup()) {
                assertFalse(line.getRow().children.isEmpty(), "no empty group");
                assertTrue(line.getDepth() + 1 <= 3, "a group at most three levels below the top");
            }
        }
        assertTrue(tree.conditions() <= 50);
        // the boundary takes it (every condition filled in the same way)
        RuleValidator.validate(new RuleRequest("AND", requests(tree.rows)), DATASET);
    }

    private static List<ClauseRequest> requests(List<ConditionRow> rows) {
        List<ClauseRequest> list = new ArrayList<>();
        for (ConditionRow r : rows) {
            list.add(r.isGroup() ? new GroupRequest(r.logic, requests(r.children)) : new ConditionRequest("s", "is_set", null));
        }
        return list;
    }

    static final Dataset DATASET = new Dataset("00000000-0000-0000-0000-000000000001", "builder", "id", Instant.EPOCH);

    static {
        DATASET.addColumn("id", ColumnType.STRING);
        DATASET.addColumn("s", ColumnType.STRING);
    }
}
