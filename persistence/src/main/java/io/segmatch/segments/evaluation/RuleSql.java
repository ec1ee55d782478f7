package io.segmatch.segments.evaluation;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.segments.entity.Condition;
import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Rule;

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
import java.util.List;

/**
 * Compiles a rule into a SQL predicate over {@code dataset_row.data} (alias {@code r}),
 * with the semantics of {@link RuleEvaluator}. Column names and values are always bound
 * parameters; the SQL text comes only from this class. Each value is read through the
 * {@code segmatch_<type>} functions of the schema, which return null for a missing or
 * non-conforming value, exactly as {@link ColumnType#parse(String)} does.
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
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (Condition c : rule.conditions()) {
            parts.add(condition(c, now, params));
        }
        String joiner = rule.logic() == Logic.AND ? " AND " : " OR ";
        return new Predicate("(" + String.join(joiner, parts) + ")", params);
    }

    private static String condition(Condition c, Instant now, List<Object> params) {
        String x = "segmatch_" + c.type().apiName() + "(r.data->>?)";
        params.add(c.field());
        switch (c.operator()) {
            case EQ -> {
                params.add(c.value());
                return x + " = " + cast(c.type());
            }
            case NEQ -> {
                params.add(c.field());
                params.add(c.value());
                return "(" + x + " IS NULL OR " + x + " <> " + cast(c.type()) + ")";
            }
            case CONTAINS -> {
                params.add(c.value());
                return "strpos(" + x + ", ?) > 0";
            }
            case NOT_CONTAINS -> {
                params.add(c.field());
                params.add(c.value());
                return "(" + x + " IS NULL OR strpos(" + x + ", ?) = 0)";
            }
            case STARTS_WITH -> {
                params.add(c.value());
                return "starts_with(" + x + ", ?)";
            }
            case ENDS_WITH -> {
                String v = (String) c.value();
                params.add(v.codePointCount(0, v.length()));
                params.add(v);
                return "right(" + x + ", ?) = ?";
            }
            case IN -> {
                params.add(array(c));
                return x + " = ANY(?)";
            }
            case NOT_IN -> {
                params.add(c.field());
                params.add(array(c));
                return "(" + x + " IS NULL OR NOT " + x + " = ANY(?))";
            }
            case GT, GTE, LT, LTE -> {
                params.add(c.value());
                String op = switch (c.operator()) {
                    case GT -> " > ";
                    case GTE -> " >= ";
                    case LT -> " < ";
                    default -> " <= ";
                };
                return x + op + cast(c.type());
            }
            case BETWEEN -> {
                params.add(c.values().get(0));
                params.add(c.values().get(1));
                return x + " BETWEEN " + cast(c.type()) + " AND " + cast(c.type());
            }
            case IN_LAST_DAYS -> {
                if (c.type() == ColumnType.DATE) {
                    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
                    params.add(today.minusDays(c.days()));
                    params.add(today);
                } else {
                    params.add(now.minus(Duration.ofDays(c.days())));
                    params.add(now);
                }
                return x + " BETWEEN " + cast(c.type()) + " AND " + cast(c.type());
            }
            case IS_SET -> {
                return x + " IS NOT NULL";
            }
            case IS_NOT_SET -> {
                return x + " IS NULL";
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
