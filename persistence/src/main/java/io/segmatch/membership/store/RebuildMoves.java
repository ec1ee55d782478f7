package io.segmatch.membership.store;

import io.segmatch.membership.evaluation.SegmentRule;
import io.segmatch.segments.evaluation.RuleSql;
import io.segmatch.shared.store.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * The statement that finds a rebuild's moves over a dataset's typed table — the rows whose
 * membership of a rebuilt (or retired) segment changes — and the temporary table it may fill
 * ({@link SegmentRebuilds#rebuild} reads them either way).
 */
public final class RebuildMoves {

    private RebuildMoves() {
    }

    /**
     * Whether one of the segments was never evaluated: its build writes every member, and its
     * moves are read as the join finds them (a merge join in key order, the order the
     * memberships are best written in) rather than first copied to a table, which would
     * write and read every member's row once more. Measured at 10M rows, the ten segments'
     * build took 104.21 and 129.16 s streamed (two runs), 155.70 s through the table.
     */
    static boolean firstBuild(Connection c, List<SegmentRule> segments) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM segment WHERE id = ANY(?) "
                + "AND evaluated_version = 0)")) {
            ps.setArray(1, c.createArrayOf("text", segments.stream().map(SegmentRule::segmentId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * The planner's methods off while a first build's moves ({@link #movesSql}, read through a
     * cursor) are planned: with neither hash joins nor sorts, the full join is a merge join of
     * the typed rows and the memberships, each read through its key index, and the moves come in
     * key order, whatever the sizes.
     */
    public static final List<String> KEY_ORDER_PLAN = List.of("hashjoin", "sort");

    /** The temporary table of a rebuild's moves, dropped once read. */
    public static final String TABLE = "rebuild_moves";

    /**
     * The typed rows whose membership of a rebuilt (or retired) segment changes, fully joined
     * to the dataset's memberships: key, whether the row exists, its memberships as two
     * comma-separated lists, then each predicate's answer. Parameters: the predicates', the
     * dataset, the predicates' again, then (with retired segments) their numbers.
     */
    public static String movesSql(String table, List<RuleSql.Predicate> predicates, int[] numbers, boolean retiring) {
        StringBuilder sql = new StringBuilder("SELECT coalesce(t.row_key, m.row_key) AS row_key, t.row_key IS NOT NULL AS present, "
                + "array_to_string(m.segments, ',') AS segments, array_to_string(m.since, ',') AS since");
        for (int i = 0; i < predicates.size(); i++) {
            sql.append(", coalesce(").append(predicates.get(i).sql()).append(", false) AS p").append(i);
        }
        sql.append(" FROM ").append(table).append(" t FULL JOIN (SELECT row_key, segments, since FROM row_membership "
                + "WHERE dataset = " + RowMemberships.DATASET + ") m ON m.row_key = t.row_key WHERE false");
        // a missing row matches nothing, whatever its rule says of missing values ("is not set")
        for (int i = 0; i < predicates.size(); i++) {
            sql.append(" OR (t.row_key IS NOT NULL AND coalesce(").append(predicates.get(i).sql())
                    .append(", false)) <> coalesce(").append(numbers[i]).append(" = ANY(m.segments), false)");
        }
        if (retiring) {
            sql.append(" OR m.segments && ?::integer[]");
        }
        return sql.toString();
    }

    /** The statement that fills {@link #TABLE}: {@link #movesSql}'s rows, its parameters. */
    public static String movesTableSql(String table, List<RuleSql.Predicate> predicates, int[] numbers, boolean retiring) {
        return "CREATE TEMPORARY TABLE " + TABLE + " AS " + movesSql(table, predicates, numbers, retiring);
    }

    /**
     * Finds the moves ({@link #movesSql}) into the temporary table {@link #TABLE}, which the
     * caller reads and drops. Written by one statement rather than read through a cursor:
     * PostgreSQL runs a statement read in batches through a cursor without parallel workers,
     * while {@code CREATE TABLE … AS} may use them for its query (from PostgreSQL 16 for a full
     * join), and the join over every typed row and membership is the rebuild's main cost.
     */
    static long materialise(Connection c, String datasetId, String table, List<RuleSql.Predicate> predicates,
                            int[] numbers, int[] retired) throws SQLException {
        execute(c, "DROP TABLE IF EXISTS " + TABLE);
        // the planner cannot tell how few rows move: costed as usual it may keep the join in one process
        return Jdbc.withParallelWorkersFree(c, x -> {
            try (PreparedStatement ps = x.prepareStatement(movesTableSql(table, predicates, numbers, retired.length > 0))) {
                bind(x, ps, predicates, datasetId, retired);
                return ps.executeUpdate();
            }
        });
    }

    /** Drops {@link #TABLE} once its moves are read. */
    static void drop(Connection c) throws SQLException {
        execute(c, "DROP TABLE " + TABLE);
    }

    /** Binds {@link #movesSql}'s parameters for the dataset whose typed table it reads. */
    static void bind(Connection c, PreparedStatement ps, List<RuleSql.Predicate> predicates, String datasetId,
                     int[] retired) throws SQLException {
        int p = 1;
        for (RuleSql.Predicate predicate : predicates) {
            p = predicate.bind(c, ps, p);
        }
        ps.setString(p++, datasetId);
        for (RuleSql.Predicate predicate : predicates) {
            p = predicate.bind(c, ps, p);
        }
        if (retired.length > 0) {
            ps.setArray(p, c.createArrayOf("integer", Arrays.stream(retired).boxed().toArray()));
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
