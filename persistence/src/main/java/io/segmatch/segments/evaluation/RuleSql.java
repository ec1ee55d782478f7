package io.segmatch.segments.evaluation;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.store.TypedRows;
import io.segmatch.segments.entity.Clause;
import io.segmatch.segments.entity.Condition;
import io.segmatch.segments.entity.Group;
import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.entity.SegmentCondition;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Compiles a rule into a SQL predicate over {@code dataset_row.data} (alias {@code r}),
 * with the semantics of {@link RuleEvaluator}. Column names and values are always bound
 * parameters; the SQL text comes only from this class. Each value is read through the
 * {@code segmatch_<type>} functions of the schema, which return null for a missing or
 * non-conforming value, exactly as {@link ColumnType#parse(String)} does; or, over a
 * dataset's typed table ({@link #typed}), from the column that holds that parse already.
 */
public final class RuleSql {

    /** A predicate and the parameters it binds, in order. */
    public record Predicate(String sql, List<Object> params) {

        /** Binds the parameters from {@code first} on; returns the next free index. */
        public int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
            int i = first;
            for (Object p : params) {
                if (p instanceof String[] texts) {
                    ps.setArray(i++, c.createArrayOf("text", texts));
                } else if (p instanceof BigDecimal[] numbers) {
                    ps.setArray(i++, c.createArrayOf("numeric", numbers));
                } else if (p instanceof Instant instant) {
                    ps.setObject(i++, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
                } else {
                    ps.setObject(i++, p);
                }
            }
            return i;
        }
    }

    private RuleSql() {
    }

    public static Predicate where(Rule rule, Instant now) {
        return compile(rule, now, c -> null);
    }

    /**
     * The rule over a dataset's typed table (alias {@code t}) instead of the rows' JSON, when
     * every condition's column is there with the condition's type; empty otherwise.
     */
    public static Optional<Predicate> typed(Rule rule, Instant now, TypedRows.Table table) {
        Map<Condition, String> columns = new IdentityHashMap<>();
        for (Condition c : rule.leaves()) {
            Optional<String> column = table.column("t", c.field(), c.type());
            if (column.isEmpty()) {
                return Optional.empty();
            }
            columns.put(c, column.get());
        }
        return Optional.of(compile(rule, now, columns::get));
    }

    /** {@code typedColumn} gives a condition's typed column, or null to read the JSON. */
    private static Predicate compile(Rule rule, Instant now, Function<Condition, String> typedColumn) {
        List<Object> params = new ArrayList<>();
        return new Predicate(clauses(rule.logic(), rule.conditions(), now, typedColumn, params), params);
    }

    /**
     * A list of clauses joined by their logic, in parentheses. A condition's SQL may be null
     * (unknown) for a missing value where the rule's answer is false; AND and OR keep such an
     * unknown on the false side, and a negation ({@code not_in} a segment) reads it as false
     * first ({@code IS NOT TRUE}), so that every part answers as {@link RuleEvaluator} does.
     */
    private static String clauses(Logic logic, List<Clause> clauses, Instant now, Function<Condition, String> typedColumn,
                                  List<Object> params) {
        List<String> parts = new ArrayList<>();
        for (Clause clause : clauses) {
            if (clause instanceof Condition c) {
                String column = typedColumn.apply(c);
                Supplier<String> x = column != null ? () -> column : () -> {
                    params.add(c.field());
                    return "segmatch_" + c.type().apiName() + "(r.data->>?)";
                };
                parts.add(condition(c, now, x, params));
            } else if (clause instanceof Group g) {
                parts.add(clauses(g.logic(), g.clauses(), now, typedColumn, params));
            } else {
                SegmentCondition s = (SegmentCondition) clause;
                String rule = clauses(s.rule().logic(), s.rule().conditions(), now, typedColumn, params);
                parts.add(s.in() ? rule : "(" + rule + " IS NOT TRUE)");
            }
        }
        String joiner = logic == Logic.AND ? " AND " : " OR ";
        return "(" + String.join(joiner, parts) + ")";
    }

    /**
     * One condition. {@code x} gives the SQL of the typed value each time it is used (adding
     * its parameters); the text is built left to right, so parameters follow in SQL order.
     */
    private static String condition(Condition c, Instant now, Supplier<String> x, List<Object> params) {
        Function<Object, String> value = v -> {
            params.add(v);
            return cast(c.type());
        };
        Function<Object, String> plain = v -> {
            params.add(v);
            return "?";
        };
        switch (c.operator()) {
            case EQ -> {
                return x.get() + " = " + value.apply(c.value());
            }
            case NEQ -> {
                return "(" + x.get() + " IS NULL OR " + x.get() + " <> " + value.apply(c.value()) + ")";
            }
            case CONTAINS -> {
                return "strpos(" + x.get() + ", " + plain.apply(c.value()) + ") > 0";
            }
            case NOT_CONTAINS -> {
                return "(" + x.get() + " IS NULL OR strpos(" + x.get() + ", " + plain.apply(c.value()) + ") = 0)";
            }
            case STARTS_WITH -> {
                return "starts_with(" + x.get() + ", " + plain.apply(c.value()) + ")";
            }
            case ENDS_WITH -> {
                String v = (String) c.value();
                return "right(" + x.get() + ", " + plain.apply(v.codePointCount(0, v.length())) + ") = " + plain.apply(v);
            }
            case IN -> {
                return x.get() + " = ANY(" + plain.apply(array(c)) + ")";
            }
            case NOT_IN -> {
                return "(" + x.get() + " IS NULL OR NOT " + x.get() + " = ANY(" + plain.apply(array(c)) + "))";
            }
            case GT, GTE, LT, LTE -> {
                String op = switch (c.operator()) {
                    case GT -> " > ";
                    case GTE -> " >= ";
                    case LT -> " < ";
                    default -> " <= ";
                };
                return x.get() + op + value.apply(c.value());
            }
            case BETWEEN -> {
                return x.get() + " BETWEEN " + value.apply(c.values().get(0)) + " AND " + value.apply(c.values().get(1));
            }
            case IN_LAST_DAYS -> {
                String v = x.get();
                if (c.type() == ColumnType.DATE) {
                    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
                    return v + " BETWEEN " + value.apply(today.minusDays(c.days())) + " AND " + value.apply(today);
                }
                return v + " BETWEEN " + value.apply(now.minus(Duration.ofDays(c.days()))) + " AND " + value.apply(now);
            }
            case IS_SET -> {
                return x.get() + " IS NOT NULL";
            }
            case IS_NOT_SET -> {
                return x.get() + " IS NULL";
            }
            default -> throw new IllegalArgumentException("unknown operator " + c.operator());
        }
    }

    private static String cast(ColumnType type) {
        return switch (type) {
            case STRING -> "?::text";
            case NUMBER -> "?::numeric";
            case BOOLEAN -> "?::boolean";
            case DATE -> "?::date";
            case TIMESTAMP -> "?::timestamptz";
        };
    }

    private static Object array(Condition c) {
        return c.type() == ColumnType.NUMBER
                ? c.values().stream().map(v -> (BigDecimal) v).toArray(BigDecimal[]::new)
                : c.values().stream().map(v -> (String) v).toArray(String[]::new);
    }
}
