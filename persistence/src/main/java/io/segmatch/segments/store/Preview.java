package io.segmatch.segments.store;

import io.segmatch.datasets.store.RowStore;
import io.segmatch.datasets.store.StoredRow;
import io.segmatch.datasets.store.TypedRows;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.evaluation.RuleEvaluator;
import io.segmatch.segments.evaluation.RuleSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The live count of the segment builder: how many of the dataset's first {@code limit} rows
 * (in key order; 0 = all rows) match a rule, and the first matching rows as a sample.
 */
public final class Preview {

    public static final int SAMPLE_SIZE = 10;

    /** The count among the rows scanned, how many were scanned, and up to ten matching rows. */
    public record Result(long count, long scanned, List<StoredRow> sample) {
    }

    private Preview() {
    }

    /**
     * Runs the preview. {@code totalRows} is the dataset's row count: the number scanned is
     * {@code min(limit, totalRows)} without counting again.
     */
    public static Result run(Connection c, String datasetId, Rule rule, int limit, long totalRows, Instant now)
            throws SQLException {
        if (limit == 0) {
            Optional<TypedRows.Table> table = TypedRows.current(c, datasetId);
            Optional<RuleSql.Predicate> typed = table.isEmpty() ? Optional.empty() : RuleSql.typed(rule, now, table.get());
            if (typed.isPresent()) {
                return typed(c, datasetId, table.get(), typed.get(), totalRows);
            }
        }
        RuleSql.Predicate where = RuleSql.where(rule, now);
        String rows = limit > 0
                ? "(SELECT * FROM dataset_row r WHERE r.dataset_id = ? ORDER BY r.row_key LIMIT ?) r WHERE "
                : "dataset_row r WHERE r.dataset_id = ? AND ";
        // one pass: the window counts every match, the first ten in key order come back
        String sql = "SELECT r.row_key, r.data::text, r.created_at, r.updated_at, count(*) OVER () FROM " + rows
                + where.sql() + " ORDER BY r.row_key LIMIT " + SAMPLE_SIZE;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int next = bindRows(ps, datasetId, limit);
            where.bind(c, ps, next);
            long scanned = limit > 0 ? Math.min(limit, totalRows) : totalRows;
            return read(ps, scanned);
        }
    }

    /**
     * The whole dataset over its typed table: the count (a scan of typed values, which
     * PostgreSQL may run in parallel), then the first ten matching keys, read in key order
     * until ten are found, and those rows. Two statements: one that counts and samples
     * at once must sort every match by key, which took longer than the count itself.
     */
    private static Result typed(Connection c, String datasetId, TypedRows.Table table, RuleSql.Predicate where,
                                long totalRows) throws SQLException {
        long count;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table.name() + " t WHERE " + where.sql())) {
            where.bind(c, ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                count = rs.getLong(1);
            }
        }
        if (count == 0) {
            return new Result(0, totalRows, List.of());
        }
        String sql = "SELECT r.row_key, r.data::text, r.created_at, r.updated_at, ? FROM (SELECT t.row_key FROM "
                + table.name() + " t WHERE " + where.sql() + " ORDER BY t.row_key LIMIT " + SAMPLE_SIZE
                + ") m JOIN dataset_row r ON r.dataset_id = ? AND r.row_key = m.row_key ORDER BY r.row_key";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, count);
            int next = where.bind(c, ps, 2);
            ps.setString(next, datasetId);
            return read(ps, totalRows);
        }
    }

    private static Result read(PreparedStatement ps, long scanned) throws SQLException {
        List<StoredRow> sample = new ArrayList<>();
        long count = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sample.add(new StoredRow(rs.getString(1), RowStore.parse(rs.getString(2)),
                        rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant()));
                count = rs.getLong(5);
            }
        }
        return new Result(count, scanned, sample);
    }

    /**
     * The same answer as {@link #run}, computed in Java over rows already at hand: the
     * dataset's first rows in key order, at least {@code min(limit, totalRows)} of them.
     */
    public static Result inMemory(RowWindow window, Rule rule, int limit, Instant now) {
        RuleEvaluator evaluator = new RuleEvaluator(rule, now);
        List<StoredRow> rows = window.rows();
        int scanned = Math.min(limit, rows.size());
        Object[][] columns = rule.leaves().stream().map(c -> window.column(c.field(), c.type()))
                .toArray(Object[][]::new);
        List<StoredRow> sample = new ArrayList<>();
        long count = 0;
        for (int i = 0; i < scanned; i++) {
            int row = i;
            if (evaluator.matchesParsed(k -> columns[k][row])) {
                count++;
                if (sample.size() < SAMPLE_SIZE) {
                    sample.add(rows.get(i));
                }
            }
        }
        return new Result(count, scanned, sample);
    }

    private static int bindRows(PreparedStatement ps, String datasetId, int limit) throws SQLException {
        ps.setString(1, datasetId);
        if (limit > 0) {
            ps.setInt(2, limit);
            return 3;
        }
        return 2;
    }
}
