package io.segmatch.segments;

import io.segmatch.segments.entity.Condition;
import io.segmatch.segments.entity.Group;
import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Operator;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.entity.SegmentCondition;
import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.segments.evaluation.RuleValidator;
import io.segmatch.shared.error.SegmatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rule validation: every kind of invalid rule is refused, naming the offending field. */
class RuleValidatorTest {

    static SegmatchException refused(String json) {
        return assertThrows(SegmatchException.class, () -> EvaluatorContract.rule(json));
    }

    static String condition(String field, String op, String value) {
        return "{\"field\": \"" + field + "\", \"operator\": \"" + op + "\"" + (value == null ? "" : ", \"value\": " + value) + "}";
    }

    static String rule(String... conditions) {
        return "{\"logic\": \"OR\", \"conditions\": [" + String.join(", ", conditions) + "]}";
    }

    @Test
    void aValidRuleBecomesTypedConditions() {
        Rule rule = EvaluatorContract.rule(rule(condition("S", "eq", "\"DE\""), condition("n", "between", "[\"1\", 2.5]"),
                condition("d", "in_last_days", "7"), condition("s", "is_set", null)));
        assertEquals(Logic.OR, rule.logic());
        assertEquals("s", rule.leaves().get(0).field(), "the dataset's spelling of the column");
        assertEquals("de", rule.leaves().get(0).value());
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("2.5")), rule.leaves().get(1).values());
        assertEquals(7, rule.leaves().get(2).days());
        assertEquals(Operator.IS_SET, rule.leaves().get(3).operator());
        assertEquals(LocalDate.of(2026, 3, 1), EvaluatorContract.rule(rule(condition("d", "eq", "\"2026-03-01\"")))
                .leaves().get(0).value());
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "nope|eq|\"x\"|conditions[1].field",
            "s|gt|\"x\"|conditions[1].operator",
            "s|like|\"x\"|conditions[1].operator",
            "b|in|[true]|conditions[1].operator",
            "n|contains|\"1\"|conditions[1].operator",
            "d|in|[\"2026-01-01\"]|conditions[1].operator",
            "s|in_last_days|3|conditions[1].operator",
            "n|eq|\"ten\"|conditions[1].value",
            "n|eq|\"1,5\"|conditions[1].value",
            "n|eq|true|conditions[1].value",
            "n|eq|NULL|conditions[1].value",
            "d|eq|\"01.03.2026\"|conditions[1].value",
            "d|eq|\"2026-02-30\"|conditions[1].value",
            "t|gt|\"yesterday\"|conditions[1].value",
            "b|eq|\"maybe\"|conditions[1].value",
            "b|eq|1|conditions[1].value",
            "s|contains|\"\"|conditions[1].value",
            "s|contains|[\"a\"]|conditions[1].value",
            "s|in|[]|conditions[1].value",
            "s|in|\"de\"|conditions[1].value",
            "n|in|[1, \"x\"]|conditions[1].value[1]",
            "n|between|[10, 1]|conditions[1].value",
            "n|between|[1]|conditions[1].value",
            "d|between|[\"2026-01-01\", \"nope\"]|conditions[1].value[1]",
            "d|in_last_days|-1|conditions[1].value",
            "d|in_last_days|1.5|conditions[1].value",
            "t|in_last_days|\"7\"|conditions[1].value",
            "s|is_set|\"x\"|conditions[1].value",
            "s|eq|NULL|conditions[1].value"})
    void everyInvalidConditionIsNamed(String field, String op, String value, String errorField) {
        var e = refused(rule(condition("s", "eq", "\"ok\""), condition(field, op, value)));
        assertEquals(400, e.kind().status);
        assertEquals("invalid-rule", e.type());
        assertEquals(errorField, e.errors().get(0).field(), e.getMessage());
    }

    @Test
    void emptyOversizedAndMalformedRulesAreRefused() {
        assertEquals("conditions", refused("{\"logic\": \"AND\", \"conditions\": []}").errors().get(0).field());
        assertEquals("conditions", refused("{\"logic\": \"AND\"}").errors().get(0).field());
        String many = String.join(", ", Collections.nCopies(51, condition("s", "is_set", null)));
        assertTrue(refused(rule(many)).getMessage().contains("at most 50"));
        assertEquals(50, EvaluatorContract.rule(rule(String.join(", ", Collections.nCopies(50,
                condition("s", "is_set", null))))).leaves().size());
        assertEquals("logic", refused("{\"logic\": \"XOR\", \"conditions\": [" + condition("s", "is_set", null) + "]}")
                .errors().get(0).field());
        assertEquals("conditions[0]", refused("{\"conditions\": [\"s = 1\"]}").errors().get(0).field());
    }

    @Test
    void valueListsTakeUpTo1000Values() {
        String thousand = "[" + String.join(", ", Collections.nCopies(1000, "\"x\"")) + "]";
        assertEquals(1000, EvaluatorContract.rule(rule(condition("s", "in", thousand))).leaves().get(0).values().size());
        String more = "[" + String.join(", ", Collections.nCopies(1001, "\"x\"")) + "]";
        assertEquals("conditions[0].value", refused(rule(condition("s", "in", more))).errors().get(0).field());
    }

    @Test
    void everyProblemIsListedNotJustTheFirst() {
        var e = refused(rule(condition("nope", "eq", "1"), condition("n", "eq", "\"x\""), condition("s", "gt", "1")));
        assertEquals(List.of("conditions[0].field", "conditions[1].value", "conditions[2].operator"),
                e.errors().stream().map(SegmatchException.FieldError::field).toList());
    }

    @Test
    void sqlShapedNamesAndValuesAreJustData() {
        var e = refused(rule(condition("country'; drop table x; --", "eq", "\"DE\"")));
        assertEquals("conditions[0].field", e.errors().get(0).field());
        Rule rule = EvaluatorContract.rule(rule(condition("s", "eq", "\"country'; drop table x; --\"")));
        assertEquals("country'; drop table x; --", rule.leaves().get(0).value());
    }

    // ---- groups and segment references ----

    static String group(String logic, String... clauses) {
        return "{\"logic\": \"" + logic + "\", \"conditions\": [" + String.join(", ", clauses) + "]}";
    }

    static String segment(String id, String op) {
        return "{\"segment\": \"" + id + "\", \"operator\": \"" + op + "\"}";
    }

    static SegmatchException refusedFor(String selfId, String json) {
        return assertThrows(SegmatchException.class, () -> RuleValidator.validate(RuleRequest.of(EvaluatorContract.object(json)),
                EvaluatorContract.dataset(), EvaluatorContract.LOOKUP, selfId));
    }

    @Test
    void groupsNestThreeLevelsBelowTheTop() {
        String set = condition("s", "is_set", null);
        Rule three = EvaluatorContract.rule(rule(group("AND", group("OR", group("AND", set, set), set))));
        Group level1 = (Group) three.conditions().get(0);
        assertEquals(Logic.AND, level1.logic());
        assertEquals(Logic.OR, ((Group) level1.clauses().get(0)).logic());
        assertEquals(3, three.leaves().size());
        var e = refused(rule(set, group("AND", group("OR", group("AND", group("OR", set)), set))));
        assertEquals("conditions[1].conditions[0].conditions[0].conditions[0]", e.errors().get(0).field(), e.getMessage());
        assertTrue(e.errors().get(0).message().contains("at most 3 levels"), e.getMessage());
    }

    @Test
    void groupProblemsAreNamedByTheirPath() {
        String set = condition("s", "is_set", null);
        assertEquals("conditions[1].conditions[0].value",
                refused(rule(set, group("AND", condition("n", "eq", "\"ten\""), set))).errors().get(0).field());
        assertEquals("conditions[0].conditions", refused(rule(group("AND"))).errors().get(0).field());
        assertTrue(refused(rule(group("AND"))).getMessage().contains("a group needs at least one condition"));
        assertEquals("conditions[0].logic", refused(rule(group("XOR", set))).errors().get(0).field());
        assertEquals("conditions[0].conditions[1]", refused(rule(group("OR", set, "7"))).errors().get(0).field());
        assertEquals("conditions[0].conditions", refused("{\"conditions\": [{\"logic\": \"OR\"}]}").errors().get(0).field());
    }

    @Test
    void fiftyConditionsInTheWholeRuleGroupsIncluded() {
        String set = condition("s", "is_set", null);
        String twentyFive = String.join(", ", Collections.nCopies(25, set));
        assertEquals(50, EvaluatorContract.rule(rule(group("AND", twentyFive), group("OR", twentyFive))).leaves().size());
        var e = refused(rule(group("AND", twentyFive), group("OR", twentyFive), segment("de", "in")));
        assertEquals("conditions", e.errors().get(0).field());
        assertTrue(e.getMessage().contains("at most 50 conditions in the whole rule") && e.getMessage().contains("not 51"),
                e.getMessage());
    }

    @Test
    void aReferenceCarriesTheSegmentsRule() {
        Rule rule = EvaluatorContract.rule(rule(segment("de-or-big", "not_in")));
        SegmentCondition ref = (SegmentCondition) rule.conditions().get(0);
        assertEquals("de-or-big", ref.segmentId());
        assertEquals("not_in", ref.operator());
        assertEquals(List.of("s", "n"), rule.leaves().stream().map(Condition::field).toList(), "the leaves of de and big");
        SegmentCondition de = (SegmentCondition) ref.rule().conditions().get(0);
        assertEquals(List.of("de", "in"), List.of(de.segmentId(), de.operator()), "de-or-big's own reference, carried in turn");
    }

    @Test
    void badReferencesAreRefused() {
        var unknown = refused(rule(segment("nope", "in")));
        assertEquals("conditions[0].segment", unknown.errors().get(0).field());
        assertTrue(unknown.getMessage().contains("no segment with id 'nope'"), unknown.getMessage());
        var other = refused(rule(segment("elsewhere", "in")));
        assertEquals("conditions[0].segment", other.errors().get(0).field());
        assertTrue(other.getMessage().contains("another dataset"), other.getMessage());
        assertEquals("conditions[0].operator", refused(rule(segment("de", "eq"))).errors().get(0).field());
        assertEquals("conditions[0].segment", refused("{\"conditions\": [{\"segment\": 7, \"operator\": \"in\"}]}")
                .errors().get(0).field());
    }

    @Test
    void aReferenceBackToTheSegmentIsACycle() {
        var self = refusedFor("big", rule(condition("s", "is_set", null), segment("big", "in")));
        assertEquals("conditions[1].segment", self.errors().get(0).field());
        assertTrue(self.getMessage().contains("cannot refer to itself"), self.getMessage());
        // saving "de" with a reference to de-or-big, which refers to de
        var cycle = refusedFor("de", rule(group("AND", segment("de-or-big", "in"))));
        assertEquals("conditions[0].conditions[0].segment", cycle.errors().get(0).field());
        assertTrue(cycle.getMessage().contains("this segment → 'segment de-or-big' → this segment"), cycle.getMessage());
        // the same reference from another segment is fine
        assertEquals(2, RuleValidator.validate(RuleRequest.of(EvaluatorContract.object(rule(segment("de-or-big", "in")))),
                EvaluatorContract.dataset(), EvaluatorContract.LOOKUP, "not-fr").leaves().size());
    }
}
