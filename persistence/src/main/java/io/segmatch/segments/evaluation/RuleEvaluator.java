package io.segmatch.segments.evaluation;

import io.segmatch.segments.entity.Clause;
import io.segmatch.segments.entity.Condition;
import io.segmatch.segments.entity.Group;
import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.entity.SegmentCondition;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Evaluates a rule on one row in Java (docs/segments.md): used where rows are read once anyway,
 * such as the incremental membership job. {@link RuleSql} must give the same answers.
 */
public final class RuleEvaluator {

    /** The rule compiled: leaves know their index in {@link Rule#leaves()}. */
    private sealed interface Node permits Leaf, Branch {
    }

    private record Leaf(int index, Condition condition) implements Node {
    }

    /** A group, the top level or a referred segment's rule; {@code negated} for {@code not_in}. */
    private record Branch(boolean and, Node[] children, boolean negated) implements Node {
    }

    private final List<Condition> leaves;
    private final Node root;
    private final Instant now;

    /** {@code now} anchors {@code in_last_days}. */
    public RuleEvaluator(Rule rule, Instant now) {
        this.now = now;
        this.leaves = rule.leaves();
        this.root = compile(rule.logic(), rule.conditions(), false, new int[1]);
    }

    private static Node compile(Logic logic, List<Clause> clauses, boolean negated, int[] next) {
        Node[] children = new Node[clauses.size()];
        for (int i = 0; i < children.length; i++) {
            Clause clause = clauses.get(i);
            if (clause instanceof Condition c) {
                children[i] = new Leaf(next[0]++, c);
            } else if (clause instanceof Group g) {
                children[i] = compile(g.logic(), g.clauses(), false, next);
            } else {
                SegmentCondition s = (SegmentCondition) clause;
                children[i] = compile(s.rule().logic(), s.rule().conditions(), !s.in(), next);
            }
        }
        return new Branch(logic == Logic.AND, children, negated);
    }

    /** Whether a row with these stored values (missing values absent) matches the rule. */
    public boolean matches(Map<String, String> values) {
        return matchesParsed(i -> {
            Condition c = leaves.get(i);
            return c.type().parse(values.get(c.field()));
        });
    }

    /**
     * Whether a row matches, given for the i-th leaf ({@link Rule#leaves()}) the row's value of
     * its field as {@code c.type().parse(…)} gives it (null when missing or not conforming): for
     * callers that parse each column once and evaluate many rules over it.
     */
    public boolean matchesParsed(IntFunction<Object> parsedValue) {
        return holds(root, parsedValue);
    }

    private boolean holds(Node node, IntFunction<Object> parsedValue) {
        if (node instanceof Leaf leaf) {
            return holds(leaf.condition(), parsedValue.apply(leaf.index()));
        }
        Branch branch = (Branch) node;
        boolean answer = branch.and();
        for (Node child : branch.children()) {
            boolean holds = holds(child, parsedValue);
            if (branch.and() != holds) {
                answer = holds;
                break;
            }
        }
        return answer != branch.negated();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    boolean holds(Condition c, Object x) {
        if (x == null) {
            return c.operator().matchesMissing();
        }
        return switch (c.operator()) {
            case EQ -> compare(x, c.value()) == 0;
            case NEQ -> compare(x, c.value()) != 0;
            case CONTAINS -> ((String) x).contains((String) c.value());
            case NOT_CONTAINS -> !((String) x).contains((String) c.value());
            case STARTS_WITH -> ((String) x).startsWith((String) c.value());
            case ENDS_WITH -> ((String) x).endsWith((String) c.value());
            case IN -> c.values().stream().anyMatch(v -> compare(x, v) == 0);
            case NOT_IN -> c.values().stream().noneMatch(v -> compare(x, v) == 0);
            case GT -> compare(x, c.value()) > 0;
            case GTE -> compare(x, c.value()) >= 0;
            case LT -> compare(x, c.value()) < 0;
            case LTE -> compare(x, c.value()) <= 0;
            case BETWEEN -> compare(x, c.values().get(0)) >= 0 && compare(x, c.values().get(1)) <= 0;
            case IN_LAST_DAYS -> x instanceof LocalDate date
                    ? !date.isBefore(today().minusDays(c.days())) && !date.isAfter(today())
                    : !((Instant) x).isBefore(now.minus(Duration.ofDays(c.days()))) && !((Instant) x).isAfter(now);
            case IS_SET -> true;
            case IS_NOT_SET -> false;
        };
    }

    private LocalDate today() {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object x, Object value) {
        return ((Comparable) x).compareTo(value);
    }
}
