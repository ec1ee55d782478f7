package io.segmatch.segments.store;

import io.segmatch.datasets.store.RowStore;
import io.segmatch.datasets.store.StoredRow;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.evaluation.RuleSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    public static Result run(Connection c, String datasetId, Rule rule, int limit, Instant now) throws SQLException {
        RuleSql.Predicate where = RuleSql.where(rule, now);
        String rows = limit > 0
                ? "(SELECT * FROM dataset_row r WHERE r.dataset_id = ? ORDER BY r.row_key LIMIT ?) r"
                : "dataset_row r";
        String scope = limit > 0 ? "" : "r.dataset_id = ? AND ";
        long count;
        long scanned;
        try (PreparedStatement ps = c.prepareStatement(limit > 0
                ? "SELECT count(*) FILTER (WHERE " + where.sql() + "), count(*) FROM " + rows
                : "SELECT count(*) FILTER (WHERE " + where.sql() + "), count(*) FROM " + rows + " WHERE r.dataset_id = ?")) {
            int next = where.bind(c, ps, 1);
            ps.setString(next, datasetId);
            if (limit > 0) {
                ps.setInt(next + 1, limit);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                count = rs.getLong(1);
                scanned = rs.getLong(2);
            }
        }
        List<StoredRow> sample = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.row_key, r.data::text, r.created_at, r.updated_at FROM "
                + rows + " WHERE " + scope + where.sql() + " ORDER BY r.row_key LIMIT " + SAMPLE_SIZE)) {
            ps.setString(1, datasetId);
            int next = 2;
            if (limit > 0) {
                ps.setInt(2, limit);
                next = 3;
            }
            where.bind(c, ps, next);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sample.add(new StoredRow(rs.getString(1), RowStore.parse(rs.getString(2)),
                            rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return new Result(count, scanned, sample);
    }
}
