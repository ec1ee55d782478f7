package io.segmatch.segments;

import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Operator;
import io.segmatch.segments.entity.Rule;
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
        assertEquals("s", rule.conditions().get(0).field(), "the dataset's spelling of the column");
        assertEquals("de", rule.conditions().get(0).value());
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("2.5")), rule.conditions().get(1).values());
        assertEquals(7, rule.conditions().get(2).days());
        assertEquals(Operator.IS_SET, rule.conditions().get(3).operator());
        assertEquals(LocalDate.of(2026, 3, 1), EvaluatorContract.rule(rule(condition("d", "eq", "\"2026-03-01\"")))
                .conditions().get(0).value());
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
                condition("s", "is_set", null))))).conditions().size());
        assertEquals("logic", refused("{\"logic\": \"XOR\", \"conditions\": [" + condition("s", "is_set", null) + "]}")
                .errors().get(0).field());
        assertEquals("conditions[0]", refused("{\"conditions\": [\"s = 1\"]}").errors().get(0).field());
    }

    @Test
    void valueListsTakeUpTo1000Values() {
        String thousand = "[" + String.join(", ", Collections.nCopies(1000, "\"x\"")) + "]";
        assertEquals(1000, EvaluatorContract.rule(rule(condition("s", "in", thousand))).conditions().get(0).values().size());
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
        assertEquals("country'; drop table x; --", rule.conditions().get(0).value());
    }
}
