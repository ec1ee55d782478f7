package io.segmatch.segments;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.segments.entity.Operator;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.evaluation.RuleEvaluator;
import io.segmatch.testing.TestDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random rules over random rows — groups nested up to three levels below the top, and
 * memberships of other segments — the SQL compiled rule (over the rows' JSON and over the
 * typed table) and the Java evaluator always select the same rows. Values come from pools
 * rich in the cases that tend to differ: missing and
 * non-conforming values, case and non-ASCII letters, equal decimals written differently,
 * time zones, fractions of seconds and the edges of in_last_days.
 */
class RandomRulesIT {

    static final Map<String, ColumnType> FIELDS = Map.of("s", ColumnType.STRING, "n", ColumnType.NUMBER,
            "d", ColumnType.DATE, "t", ColumnType.TIMESTAMP, "b", ColumnType.BOOLEAN);

    static final Map<String, List<String>> STORED = Map.of(
            "s", List.of("DE", "de", "Deutschland", "deu", "FR", "Fr", "École", "école", "İstanbul", "ΟΔΟΣ", "x",
                    "100%_off", "STRASSE", "straße"),
            "n", List.of("1", "1.0", "1.50", "-2", "10", "1e1", "abc", "007", "0", "12.5", "-0.0", "1E+1"),
            "d", List.of("2026-03-15", "2026-03-08", "2026-03-07", "2026-02-28", "2026-02-30", "2025-12-31",
                    "2026-03-16", "x", "2026-3-1"),
            "t", List.of("2026-03-15T12:00:00Z", "2026-03-14 12:00", "2026-03-14T11:59:59Z", "2026-03-15T13:00:00+01:00",
                    "2026-03-15T12:00:00.000001Z", "2026-03-01T10:15:00.1234565Z", "bad", "2026-03-14T12:00z",
                    "2026-03-08T00:00:00-05:30"),
            "b", List.of("true", "YES", "no", "False", "maybe", "1"));

    static final Map<String, List<String>> OPERANDS = Map.of(
            "s", List.of("\"de\"", "\"DE\"", "\"land\"", "\"é\"", "\"i\u0307\"", "\"ος\"", "\"%\"", "\"_\"", "\"x\"",
                    "\"straße\"", "\"strasse\"", "\"fr\""),
            "n", List.of("1", "1.5", "\"10\"", "-2", "0", "12.5", "100", "1e1"),
            "d", List.of("\"2026-03-15\"", "\"2026-03-08\"", "\"2026-03-07\"", "\"2026-02-28\"", "\"2025-12-31\""),
            "t", List.of("\"2026-03-15T12:00:00Z\"", "\"2026-03-14T12:00:00Z\"", "\"2026-03-15 13:00\"",
                    "\"2026-03-01T10:15:00.123457Z\"", "\"2026-03-08T05:30:00Z\""),
            "b", List.of("true", "false", "\"yes\"", "\"no\""));

    static Connection connection;

    @BeforeContainer
    static void database() throws Exception {
        connection = TestDatabase.newDatabase("random_rules").getConnection();
        connection.setAutoCommit(false);
    }

    @AfterContainer
    static void close() throws Exception {
        connection.rollback();
        connection.close();
    }

    @Property(tries = 300)
    void sqlAndJavaSelectTheSameRows(@ForAll("rows") List<Map<String, String>> rows, @ForAll("rules") String ruleJson)
            throws Exception {
        Rule rule = EvaluatorContract.rule(ruleJson);
        Map<String, Map<String, String>> byKey = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = new HashMap<>(rows.get(i));
            row.put("id", "r" + i);
            byKey.put("r" + i, row);
        }
        RuleEvaluator java = new RuleEvaluator(rule, EvaluatorContract.NOW);
        Set<String> inJava = byKey.entrySet().stream().filter(e -> java.matches(e.getValue()))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        Set<String> inSql = SqlEvaluatorIT.SqlEvaluator.matching(connection, rule, byKey, EvaluatorContract.NOW);
        assertEquals(inJava, inSql, ruleJson + " over " + byKey);
        Set<String> inTyped = SqlEvaluatorIT.SqlEvaluator.typedMatching(connection, rule, byKey, EvaluatorContract.NOW,
                FIELDS).orElseThrow();
        assertEquals(inJava, inTyped, "over the typed table: " + ruleJson + " over " + byKey);
    }

    @Provide
    Arbitrary<List<Map<String, String>>> rows() {
        Arbitrary<Map<String, String>> row = Combinators.combine(value("s"), value("n"), value("d"), value("t"), value("b"))
                .as((s, n, d, t, b) -> {
                    Map<String, String> values = new HashMap<>();
                    put(values, "s", s);
                    put(values, "n", n);
                    put(values, "d", d);
                    put(values, "t", t);
                    put(values, "b", b);
                    return values;
                });
        return row.list().ofMinSize(1).ofMaxSize(12);
    }

    private static void put(Map<String, String> values, String field, String value) {
        if (!value.isEmpty()) {
            values.put(field, value);
        }
    }

    /** A stored value, or "" for missing. */
    private static Arbitrary<String> value(String field) {
        List<String> pool = new ArrayList<>(STORED.get(field));
        pool.add("");
        return Arbitraries.of(pool);
    }

    /**
     * Random rules: AND or OR over 1 to 4 entries, each a condition, a membership of one of
     * the contract's segments ({@code in} or {@code not_in}, some of which refer to others in
     * turn), or a group of the same kind, nested up to three levels below the top.
     */
    @Provide
    Arbitrary<String> rules() {
        // every condition and reference has one operator: at most 50 of them in a rule
        return list(0).map(entries -> "{\"logic\": " + entries)
                .filter(json -> json.split("\"operator\"", -1).length - 1 <= 50);
    }

    /** {@code "AND", "conditions": [...]}} at a level (0: the top); groups stand one level below their list. */
    private Arbitrary<String> list(int level) {
        Arbitrary<String> entry = level < 3
                ? Arbitraries.frequencyOf(Tuple.of(6, condition()), Tuple.of(2, reference()),
                        Tuple.of(2, Arbitraries.lazy(() -> list(level + 1).map(l -> "{\"logic\": " + l))))
                : Arbitraries.frequencyOf(Tuple.of(6, condition()), Tuple.of(2, reference()));
        return Combinators.combine(Arbitraries.of("AND", "OR"), entry.list().ofMinSize(1).ofMaxSize(level == 0 ? 4 : 3))
                .as((logic, entries) -> "\"" + logic + "\", \"conditions\": [" + String.join(", ", entries) + "]}");
    }

    private static Arbitrary<String> reference() {
        return Combinators.combine(Arbitraries.of("de", "big", "not-fr", "de-or-big", "recent-not-de"), Arbitraries.of("in", "not_in"))
                .as((id, op) -> "{\"segment\": \"" + id + "\", \"operator\": \"" + op + "\"}");
    }

    private static Arbitrary<String> condition() {
        return Arbitraries.of(List.copyOf(FIELDS.keySet())).flatMap(field -> {
            List<Operator> ops = Operator.forType(FIELDS.get(field));
            return Arbitraries.of(ops).flatMap(op -> operand(field, op).map(value ->
                    "{\"field\": \"" + field + "\", \"operator\": \"" + op.apiName() + "\"" + value + "}"));
        });
    }

    private static Arbitrary<String> operand(String field, Operator op) {
        Arbitrary<String> one = Arbitraries.of(OPERANDS.get(field));
        return switch (op.shape) {
            case NONE -> Arbitraries.just("");
            case DAYS -> Arbitraries.of(0, 1, 7, 30).map(n -> ", \"value\": " + n);
            case TEXT, ONE -> one.map(v -> ", \"value\": " + v);
            case LIST -> one.list().ofMinSize(1).ofMaxSize(3).map(vs -> ", \"value\": [" + String.join(", ", vs) + "]");
            case RANGE -> one.list().ofSize(2).map(vs -> ", \"value\": " + range(field, vs));
        };
    }

    /** [low, high] in order, by the field's type. */
    private static String range(String field, List<String> two) {
        ColumnType type = FIELDS.get(field);
        Object a = type.parse(unquote(two.get(0)));
        Object b = type.parse(unquote(two.get(1)));
        @SuppressWarnings({"unchecked", "rawtypes"})
        boolean ordered = ((Comparable) a).compareTo(b) <= 0;
        return ordered ? "[" + two.get(0) + ", " + two.get(1) + "]" : "[" + two.get(1) + ", " + two.get(0) + "]";
    }

    private static String unquote(String json) {
        return json.startsWith("\"") ? json.substring(1, json.length() - 1) : json;
    }
}
