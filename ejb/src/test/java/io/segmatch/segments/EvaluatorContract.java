package io.segmatch.segments;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.segments.evaluation.RuleValidator;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The one suite every rule evaluator must pass: each operator on each type it takes, with
 * present, missing and non-conforming values (docs/segments.md). Subclasses plug in an evaluator.
 */
public abstract class EvaluatorContract {

    /** The moment {@code in_last_days} counts back from. */
    public static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");

    /** A dataset with one column of each type: s, n, d, t, b. */
    public static Dataset dataset() {
        Dataset d = new Dataset("00000000-0000-0000-0000-000000000001", "contract", "id", NOW);
        d.addColumn("id", ColumnType.STRING);
        d.addColumn("s", ColumnType.STRING);
        d.addColumn("n", ColumnType.NUMBER);
        d.addColumn("d", ColumnType.DATE);
        d.addColumn("t", ColumnType.TIMESTAMP);
        d.addColumn("b", ColumnType.BOOLEAN);
        return d;
    }

    /** The keys of the rows (key → values) that match the rule. */
    protected abstract Set<String> matching(Rule rule, Map<String, Map<String, String>> rows, Instant now) throws Exception;

    /** One case: a row whose {@code field} holds {@code stored} (null: missing) and a one-condition rule. */
    public record Case(String field, String stored, String operator, String valueJson, boolean expected) {
        @Override
        public String toString() {
            return field + "=" + (stored == null ? "(missing)" : "'" + stored + "'") + " " + operator + " "
                    + valueJson + " -> " + expected;
        }

        Rule rule() {
            String value = valueJson == null ? "" : ", \"value\": " + valueJson;
            return EvaluatorContract.rule("{\"logic\": \"AND\", \"conditions\": [{\"field\": \"" + field + "\", \"operator\": \""
                    + operator + "\"" + value + "}]}");
        }
    }

    /**
     * Segments of the contract's dataset that rules may refer to ({@code {"segment": "de"}}),
     * and one of another dataset.
     */
    public static final Map<String, String> SEGMENTS = Map.of(
            "de", "{\"logic\": \"AND\", \"conditions\": [{\"field\": \"s\", \"operator\": \"eq\", \"value\": \"de\"}]}",
            "big", "{\"conditions\": [{\"field\": \"n\", \"operator\": \"gt\", \"value\": 10}]}",
            "not-fr", "{\"conditions\": [{\"field\": \"s\", \"operator\": \"neq\", \"value\": \"fr\"}]}",
            "de-or-big", "{\"logic\": \"OR\", \"conditions\": [{\"segment\": \"de\", \"operator\": \"in\"}, "
                    + "{\"segment\": \"big\", \"operator\": \"in\"}]}",
            "recent-not-de", "{\"conditions\": [{\"field\": \"d\", \"operator\": \"in_last_days\", \"value\": 7}, "
                    + "{\"segment\": \"de\", \"operator\": \"not_in\"}]}",
            "elsewhere", "{\"conditions\": [{\"field\": \"s\", \"operator\": \"is_set\"}]}");

    /** Finds {@link #SEGMENTS} (named by their ids); "elsewhere" belongs to another dataset. */
    public static final RuleValidator.Segments LOOKUP = id -> {
        String json = SEGMENTS.get(id);
        if (json == null) {
            return Optional.empty();
        }
        String datasetId = id.equals("elsewhere") ? "00000000-0000-0000-0000-000000000002" : dataset().getId();
        return Optional.of(new RuleValidator.Referenced(id, "segment " + id, datasetId, RuleRequest.of(object(json))));
    };

    public static Rule rule(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return RuleValidator.validate(RuleRequest.of(reader.readObject()), dataset(), LOOKUP, null);
        }
    }

    /** One case of a rule with groups or references: the row's values (missing ones absent), the rule, the answer. */
    public record Nested(Map<String, String> values, String ruleJson, boolean expected) {
        @Override
        public String toString() {
            return new java.util.TreeMap<>(values) + " " + ruleJson + " -> " + expected;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nested")
    void groupsAndSegmentReferences(Nested c) throws Exception {
        Map<String, String> values = new HashMap<>(c.values());
        values.put("id", "row");
        Set<String> matched = matching(rule(c.ruleJson()), Map.of("row", values), NOW);
        assertEquals(c.expected(), matched.contains("row"), c.toString());
    }

    static Stream<Nested> nested() {
        String deAndBig = "{\"logic\": \"OR\", \"conditions\": ["
                + "{\"logic\": \"AND\", \"conditions\": [" + cond("s", "eq", "\"DE\"") + ", " + cond("n", "gt", "10") + "]}, "
                + "{\"logic\": \"AND\", \"conditions\": [" + cond("s", "eq", "\"AT\"") + ", " + cond("n", "lt", "5") + "]}]}";
        String deep = "{\"logic\": \"AND\", \"conditions\": [{\"logic\": \"OR\", \"conditions\": ["
                + "{\"logic\": \"AND\", \"conditions\": [{\"logic\": \"OR\", \"conditions\": ["
                + cond("s", "eq", "\"de\"") + ", " + cond("b", "eq", "true") + "]}, " + cond("n", "gte", "1") + "]}, "
                + cond("d", "is_set", null) + "]}, " + cond("t", "is_not_set", null) + "]}";
        String notBigAndNoCountry = "{\"conditions\": [{\"segment\": \"big\", \"operator\": \"not_in\"}, "
                + "{\"logic\": \"OR\", \"conditions\": [" + cond("s", "eq", "\"de\"") + ", " + cond("s", "is_not_set", null) + "]}]}";
        List<Nested> cases = new ArrayList<>();
        // (s = DE and n > 10) or (s = AT and n < 5)
        cases.add(new Nested(Map.of("s", "de", "n", "11"), deAndBig, true));
        cases.add(new Nested(Map.of("s", "DE", "n", "5"), deAndBig, false));
        cases.add(new Nested(Map.of("s", "at", "n", "1"), deAndBig, true));
        cases.add(new Nested(Map.of("s", "AT"), deAndBig, false));
        cases.add(new Nested(Map.of("n", "1"), deAndBig, false));
        // three levels of groups below the top; a leaf answers as at the top level
        cases.add(new Nested(Map.of("s", "DE", "n", "1", "d", "x"), deep, true));
        cases.add(new Nested(Map.of("b", "yes", "n", "1.0"), deep, true));
        cases.add(new Nested(Map.of("b", "no", "n", "1", "d", "2026-01-01"), deep, true));
        cases.add(new Nested(Map.of("b", "no", "n", "1"), deep, false));
        cases.add(new Nested(Map.of("s", "de", "n", "0.5"), deep, false));
        cases.add(new Nested(Map.of("s", "de", "n", "2", "t", "2026-03-01T10:00:00Z"), deep, false));
        // membership of a segment: in holds where its rule holds, not_in where it does not (a missing value included)
        cases.add(new Nested(Map.of("s", "De"), ref("de", "in"), true));
        cases.add(new Nested(Map.of("s", "FR"), ref("de", "in"), false));
        cases.add(new Nested(Map.of(), ref("de", "not_in"), true));
        cases.add(new Nested(Map.of("s", "DE"), ref("de", "not_in"), false));
        cases.add(new Nested(Map.of("n", "abc"), ref("big", "not_in"), true));
        cases.add(new Nested(Map.of("n", "10.5"), ref("big", "not_in"), false));
        // not_in a segment whose rule missing values match (s neq fr): a missing s is in it, so not "not in"
        cases.add(new Nested(Map.of(), ref("not-fr", "not_in"), false));
        cases.add(new Nested(Map.of("s", "fr"), ref("not-fr", "not_in"), true));
        // through two segments: de-or-big refers to de and big
        cases.add(new Nested(Map.of("s", "FR", "n", "11"), ref("de-or-big", "in"), true));
        cases.add(new Nested(Map.of("s", "FR", "n", "abc"), ref("de-or-big", "in"), false));
        cases.add(new Nested(Map.of("s", "FR", "n", "abc"), ref("de-or-big", "not_in"), true));
        // a referred segment's relative dates: recent-not-de is d in the last 7 days and not in de
        cases.add(new Nested(Map.of("d", "2026-03-10", "s", "fr"), ref("recent-not-de", "in"), true));
        cases.add(new Nested(Map.of("d", "2026-03-10", "s", "de"), ref("recent-not-de", "in"), false));
        cases.add(new Nested(Map.of("d", "2026-03-01"), ref("recent-not-de", "in"), false));
        // a negation next to unknowns: not in big, and (s = de or s not set)
        cases.add(new Nested(Map.of(), notBigAndNoCountry, true));
        cases.add(new Nested(Map.of("n", "11"), notBigAndNoCountry, false));
        cases.add(new Nested(Map.of("s", "fr", "n", "x"), notBigAndNoCountry, false));
        cases.add(new Nested(Map.of("s", "DE", "n", "x"), notBigAndNoCountry, true));
        return cases.stream();
    }

    static String cond(String field, String op, String valueJson) {
        return "{\"field\": \"" + field + "\", \"operator\": \"" + op + "\""
                + (valueJson == null ? "" : ", \"value\": " + valueJson) + "}";
    }

    static String ref(String segment, String op) {
        return "{\"logic\": \"AND\", \"conditions\": [{\"segment\": \"" + segment + "\", \"operator\": \"" + op + "\"}]}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyOperatorOnEveryType(Case c) throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("id", "row");
        if (c.stored() != null) {
            values.put(c.field(), c.stored());
        }
        Set<String> matched = matching(c.rule(), Map.of("row", values), NOW);
        assertEquals(c.expected(), matched.contains("row"), c.toString());
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // strings: case-insensitive (root locale), missing matches only neq, not_contains, not_in, is_not_set
        add(cases, "s", "Deutschland", "eq", "\"DEUTSCHLAND\"", true);
        add(cases, "s", "DE", "eq", "\"de\"", true);
        add(cases, "s", "DE", "eq", "\"D\"", false);
        add(cases, "s", null, "eq", "\"de\"", false);
        add(cases, "s", null, "neq", "\"de\"", true);
        add(cases, "s", "De", "neq", "\"dE\"", false);
        add(cases, "s", "FR", "neq", "\"de\"", true);
        add(cases, "s", "Deutschland", "contains", "\"EUTS\"", true);
        add(cases, "s", "Deutschland", "contains", "\"xyz\"", false);
        add(cases, "s", null, "contains", "\"a\"", false);
        add(cases, "s", null, "not_contains", "\"a\"", true);
        add(cases, "s", "Deutschland", "not_contains", "\"land\"", false);
        add(cases, "s", "France", "not_contains", "\"land\"", true);
        add(cases, "s", "Deutschland", "starts_with", "\"deu\"", true);
        add(cases, "s", "Deutschland", "starts_with", "\"land\"", false);
        add(cases, "s", null, "starts_with", "\"d\"", false);
        add(cases, "s", "Deutschland", "ends_with", "\"LAND\"", true);
        add(cases, "s", "Deutschland", "ends_with", "\"deu\"", false);
        add(cases, "s", null, "ends_with", "\"d\"", false);
        add(cases, "s", "FR", "in", "[\"de\", \"fr\"]", true);
        add(cases, "s", "IT", "in", "[\"de\", \"fr\"]", false);
        add(cases, "s", null, "in", "[\"de\"]", false);
        add(cases, "s", null, "not_in", "[\"de\"]", true);
        add(cases, "s", "de", "not_in", "[\"DE\"]", false);
        add(cases, "s", "it", "not_in", "[\"DE\", \"fr\"]", true);
        add(cases, "s", "x", "is_set", null, true);
        add(cases, "s", null, "is_set", null, false);
        add(cases, "s", null, "is_not_set", null, true);
        add(cases, "s", "x", "is_not_set", null, false);
        add(cases, "s", "ÉCOLE", "eq", "\"école\"", true);
        add(cases, "s", "İstanbul", "starts_with", "\"i\u0307s\"", true);
        add(cases, "s", "ΟΔΟΣ", "ends_with", "\"ος\"", true);
        add(cases, "s", "STRASSE", "eq", "\"straße\"", false);
        add(cases, "s", "10115", "eq", "10115", true);
        add(cases, "s", "country'; drop table x; --", "eq", "\"COUNTRY'; DROP TABLE X; --\"", true);
        add(cases, "s", "100%_off", "contains", "\"%_\"", true);
        add(cases, "s", "100 off", "contains", "\"%\"", false);
        // numbers: exact decimal value; a non-conforming value reads as missing
        add(cases, "n", "1.50", "eq", "1.5", true);
        add(cases, "n", "1.50", "eq", "\"1.5\"", true);
        add(cases, "n", "1e1", "eq", "10", true);
        add(cases, "n", "abc", "eq", "1", false);
        add(cases, "n", "abc", "neq", "1", true);
        add(cases, "n", "007", "is_set", null, false);
        add(cases, "n", "2", "neq", "2.00", false);
        add(cases, "n", null, "neq", "2", true);
        add(cases, "n", "10.01", "gt", "10", true);
        add(cases, "n", "10", "gt", "10", false);
        add(cases, "n", "10", "gte", "10", true);
        add(cases, "n", "-0.5", "gt", "-1", true);
        add(cases, "n", "9.99", "lt", "10", true);
        add(cases, "n", "10", "lt", "10", false);
        add(cases, "n", "10", "lte", "1e1", true);
        add(cases, "n", null, "lt", "10", false);
        add(cases, "n", "10", "between", "[1, 10]", true);
        add(cases, "n", "1", "between", "[1, 10]", true);
        add(cases, "n", "0.99", "between", "[1, 10]", false);
        add(cases, "n", null, "between", "[1, 10]", false);
        add(cases, "n", "2", "in", "[1, 2.0]", true);
        add(cases, "n", "3", "in", "[1, 2.0]", false);
        add(cases, "n", null, "not_in", "[1]", true);
        add(cases, "n", "1.0", "not_in", "[1]", false);
        add(cases, "n", "12345678901234567890.123456789", "gt", "12345678901234567890.123456788", true);
        // dates: by calendar day; in_last_days N: today - N .. today (UTC)
        add(cases, "d", "2026-03-01", "eq", "\"2026-03-01\"", true);
        add(cases, "d", "2026-03-01", "neq", "\"2026-03-02\"", true);
        add(cases, "d", "2026-02-30", "eq", "\"2026-03-02\"", false);
        add(cases, "d", "2026-02-30", "is_not_set", null, true);
        add(cases, "d", "2026-03-02", "gt", "\"2026-03-01\"", true);
        add(cases, "d", "2026-03-01", "gte", "\"2026-03-01\"", true);
        add(cases, "d", "2025-12-31", "lt", "\"2026-01-01\"", true);
        add(cases, "d", "2026-01-01", "lte", "\"2025-12-31\"", false);
        add(cases, "d", "2026-03-08", "between", "[\"2026-03-01\", \"2026-03-08\"]", true);
        add(cases, "d", "2026-03-09", "between", "[\"2026-03-01\", \"2026-03-08\"]", false);
        add(cases, "d", "2026-03-08", "in_last_days", "7", true);
        add(cases, "d", "2026-03-07", "in_last_days", "7", false);
        add(cases, "d", "2026-03-15", "in_last_days", "0", true);
        add(cases, "d", "2026-03-14", "in_last_days", "0", false);
        add(cases, "d", "2026-03-16", "in_last_days", "30", false);
        add(cases, "d", null, "in_last_days", "30", false);
        add(cases, "d", "0001-01-01", "lt", "\"0002-01-01\"", true);
        // timestamps: by instant; no zone is UTC; T or a space; seconds optional
        add(cases, "t", "2026-03-01 10:15", "eq", "\"2026-03-01T10:15:00Z\"", true);
        add(cases, "t", "2026-03-01T11:15:00+01:00", "eq", "\"2026-03-01T10:15:00Z\"", true);
        add(cases, "t", "2026-03-01T10:15:00.1234567Z", "eq", "\"2026-03-01T10:15:00.123457Z\"", true);
        add(cases, "t", "2026-03-01T10:15:00z", "eq", "\"2026-03-01 10:15\"", true);
        add(cases, "t", "2026-03-01T24:00", "is_set", null, false);
        add(cases, "t", "2026-03-01T10:15:01Z", "gt", "\"2026-03-01T10:15:00Z\"", true);
        add(cases, "t", "2026-03-01T10:15:00-00:30", "gt", "\"2026-03-01T10:15:00Z\"", true);
        add(cases, "t", "2026-03-01T10:15:00Z", "lte", "\"2026-03-01T11:15:00+01:00\"", true);
        add(cases, "t", "2026-03-14T12:00:00Z", "in_last_days", "1", true);
        add(cases, "t", "2026-03-14T11:59:59Z", "in_last_days", "1", false);
        add(cases, "t", "2026-03-15T12:00:00.000001Z", "in_last_days", "1", false);
        add(cases, "t", "2026-03-01T00:00Z", "between", "[\"2026-02-28 23:00\", \"2026-03-01T00:00:00Z\"]", true);
        add(cases, "t", null, "neq", "\"2026-03-01T00:00:00Z\"", true);
        // booleans: true/false/yes/no in any case
        add(cases, "b", "YES", "eq", "true", true);
        add(cases, "b", "no", "eq", "true", false);
        add(cases, "b", "False", "eq", "\"no\"", true);
        add(cases, "b", null, "eq", "false", false);
        add(cases, "b", null, "neq", "true", true);
        add(cases, "b", "maybe", "neq", "true", true);
        add(cases, "b", "maybe", "is_set", null, false);
        add(cases, "b", "true", "neq", "false", true);
        return cases.stream();
    }

    private static void add(List<Case> cases, String field, String stored, String op, String value, boolean expected) {
        cases.add(new Case(field, stored, op, value, expected));
    }

    /** Parses JSON text for cases written inline. */
    static JsonValue json(String text) {
        try (var reader = Json.createReader(new StringReader("[" + text + "]"))) {
            return reader.readArray().get(0);
        }
    }

    static JsonObject object(String text) {
        return json(text).asJsonObject();
    }
}
