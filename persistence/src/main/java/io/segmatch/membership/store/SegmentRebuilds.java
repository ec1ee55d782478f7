package io.segmatch.membership.store;

import io.segmatch.membership.evaluation.Memberships;
import io.segmatch.membership.evaluation.SegmentRule;
import io.segmatch.membership.evaluation.SegmentSet;
import io.segmatch.segments.evaluation.RuleSql;
import io.segmatch.shared.store.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * Whole-segment work of a processing run, meant for a transaction of its own: rebuilding
 * a dataset's changed segments by set difference in one pass over its rows, and retiring
 * deleted ones. Which segments a run must rebuild or retire, and the states a segment passes
 * through, are {@link SegmentStates}.
 * Every enter and exit goes to the log with the run, and to the activation queue when the
 * segment is activated, in the same transaction.
 */
public final class SegmentRebuilds {

    private static final Logger LOG = Logger.getLogger(SegmentRebuilds.class.getName());

    private SegmentRebuilds() {
    }

    /** What a rebuild did to one segment. */
    public record Rebuilt(long members, long entered, long exited) {
    }

    /** A deleted segment whose members have yet to leave. */
    public record Retiring(String segmentId, String datasetId, int number, boolean activated, long version) {
    }

    /**
     * Re-evaluates segments of one dataset over all its rows in one pass and moves their
     * members by set difference: rows that match and are not members enter, members that no
     * longer match (or whose row is gone) exit, members that stay keep their {@code since};
     * the {@code retiring} segments' members all exit. Only the columns the rules use are
     * read; only rows whose memberships moved are written. Then each rebuilt segment is live
     * at the version evaluated (pending if edited meanwhile), each retired one is retired.
     * Run it in its own transaction.
     */
    public static Map<String, Rebuilt> rebuild(Connection c, long runId, String datasetId, List<SegmentRule> segments,
                                               List<Retiring> retiring, Instant now) throws SQLException {
        return rebuild(c, runId, datasetId, segments, retiring, now, WriteSizes.DEFAULT);
    }

    /** {@link #rebuild(Connection, long, String, List, List, Instant)} with writes cut by {@code sizes}. */
    public static Map<String, Rebuilt> rebuild(Connection c, long runId, String datasetId, List<SegmentRule> segments,
                                               List<Retiring> retiring, Instant now, WriteSizes sizes) throws SQLException {
        SegmentSet compiled = new SegmentSet(segments, now);
        List<String> fields = compiled.fields();
        int[] numbers = segments.stream().mapToInt(SegmentRule::number).toArray();
        int[] retired = retiring.stream().mapToInt(Retiring::number).toArray();
        Integer[] all = IntStream.concat(Arrays.stream(numbers), Arrays.stream(retired)).boxed()
                .toArray(Integer[]::new);
        long[] members = new long[numbers.length];
        long rows = 0;
        long readNanos = 0;
        long evaluateNanos = 0;
        long writeNanos = 0;
        long started = System.nanoTime();

        Timestamp at = Timestamp.from(now);
        long nowMillis = now.toEpochMilli();
        ChangeLog log = new ChangeLog(c, runId, at, false, sizes.logKeys());
        RowMemberships.Writer writer = new RowMemberships.Writer(c, datasetId, sizes.rows());
        // over the typed table, each rule is a predicate the database evaluates: only the answers come back
        Optional<TypedRules> rules = TypedRules.of(c, datasetId, segments, now);
        boolean typed = rules.isPresent();
        List<RuleSql.Predicate> predicates = typed ? rules.get().predicates() : List.of();
        StringBuilder sql = new StringBuilder();
        boolean materialised = false;
        // the moves read by a merge join of the typed rows and the memberships, each read through its key
        // index (hash joins and sorts off while the statement is planned)
        boolean keyOrder = false;
        if (segments.isEmpty()) {
            // only retiring: the rows in those segments, no row values needed
            sql.append("SELECT row_key, true, array_to_string(segments, ','), array_to_string(since, ',') "
                    + "FROM row_membership WHERE dataset = " + RowMemberships.DATASET + " AND segments && ?::integer[]");
        } else if (typed) {
            // only the rows whose membership of a rebuilt (or retired) segment changes come back;
            // the member counts come from one aggregate over the typed table
            String table = rules.get().table().name();
            System.arraycopy(typedCounts(c, table, predicates), 0, members, 0, members.length);
            if (RebuildMoves.firstBuild(c, segments)) {
                // every member enters: the moves are read as the join finds them, in key order, and
                // the memberships written in that order. Not in the order of a hash join: once the
                // memberships no longer fit in its memory (at 10M: 1.2 GB against 128 MB) it splits both
                // sides into batches by hash and returns one batch after the other, each from the
                // whole key range, so the writes passed over the memberships and their key index again
                // for every batch (docs/performance.md); nor in the order of a scan of a large table
                // that starts where the one before it (the counts) is (synchronised scans): memberships
                // written in two runs of keys fill their key index out of order, its pages split half
                // full (at 10M: 1,126 MB against 634 MB in key order)
                keyOrder = true;
                try (var st = c.createStatement()) {
                    st.execute("SET LOCAL synchronize_seqscans = off");
                }
                sql.append(RebuildMoves.movesSql(table, predicates, numbers, retired.length > 0));
            } else {
                // usually few moves, found by a statement parallel workers may share, then written in key order
                materialised = true;
                long t = System.nanoTime();
                long moved = RebuildMoves.materialise(c, datasetId, table, predicates, numbers, retired);
                readNanos += System.nanoTime() - t;
                LOG.fine(() -> String.format(Locale.ROOT, "dataset %s: %d rows to move, found in %.2f s", datasetId, moved,
                        (System.nanoTime() - t) / 1e9));
                sql.append("SELECT * FROM ").append(RebuildMoves.TABLE).append(" ORDER BY row_key");
            }
        } else {
            sql.append("SELECT coalesce(r.row_key, m.row_key), r.row_key IS NOT NULL, "
                    + "array_to_string(m.segments, ','), array_to_string(m.since, ',')");
            fields.forEach(f -> sql.append(", r.data->>?"));
            sql.append(" FROM (SELECT row_key, data FROM dataset_row WHERE dataset_id = ?) r FULL JOIN "
                    + "(SELECT row_key, segments, since FROM row_membership WHERE dataset = " + RowMemberships.DATASET
                    + ") m ON m.row_key = r.row_key");
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            if (materialised) {
                // the moves were found by the statement that filled their table: nothing to bind
            } else if (typed) {
                RebuildMoves.bind(c, ps, predicates, datasetId, retired);
            } else {
                for (String f : fields) {
                    ps.setString(p++, f);
                }
                ps.setString(p++, datasetId);
                if (segments.isEmpty()) {
                    ps.setArray(p, c.createArrayOf("integer", all));
                } else {
                    ps.setString(p, datasetId);
                }
            }
            ps.setFetchSize(5000);
            String[] raw = new String[fields.size()];
            boolean[] answers = new boolean[predicates.size()];
            // planned as it is executed: the settings are set back before the rows are written
            ResultSet read = Jdbc.withPlannerOff(c, keyOrder ? RebuildMoves.KEY_ORDER_PLAN : List.of(), x -> ps.executeQuery());
            try (ResultSet rs = read) {
                while (true) {
                    long t0 = System.nanoTime();
                    if (!rs.next()) {
                        readNanos += System.nanoTime() - t0;
                        break;
                    }
                    rows++;
                    String key = rs.getString(1);
                    boolean exists = rs.getBoolean(2);
                    Memberships old = Memberships.parse(rs.getString(3), rs.getString(4));
                    if (typed) {
                        for (int i = 0; i < answers.length; i++) {
                            answers[i] = rs.getBoolean(5 + i);
                        }
                    } else {
                        for (int i = 0; i < raw.length; i++) {
                            raw[i] = rs.getString(5 + i);
                        }
                    }
                    long t1 = System.nanoTime();
                    readNanos += t1 - t0;
                    Object[] parsed = exists && !typed ? compiled.parse(raw) : null;
                    RowMemberships.Builder next = new RowMemberships.Builder(old, numbers.length + retired.length);
                    for (int i = 0; i < numbers.length; i++) {
                        boolean in = exists && (typed ? answers[i] : compiled.matches(i, parsed));
                        if (in && !typed) {
                            members[i]++;
                        }
                        next.decide(numbers[i], segments.get(i).segmentId(), in, key, log, nowMillis);
                    }
                    for (int i = 0; i < retired.length; i++) {
                        next.decide(retired[i], retiring.get(i).segmentId(), false, key, log, nowMillis);
                    }
                    long t2 = System.nanoTime();
                    evaluateNanos += t2 - t1;
                    if (next.moved()) {
                        writer.put(key, next.build(), old.isEmpty());
                    }
                    writeNanos += System.nanoTime() - t2;
                }
            }
            long t3 = System.nanoTime();
            if (materialised) {
                RebuildMoves.drop(c);
            }
            writer.flush();
            log.flush();
            log.count(false);
            if (writer.written() > 10_000) {
                // fresh statistics, or the planner takes the new rows for none and a run's
                // chunks read the memberships with a sequential scan each (measured 100×)
                try (var st = c.createStatement()) {
                    st.execute("ANALYZE row_membership");
                }
            }
            writeNanos += System.nanoTime() - t3;
            long logNanos = log.nanos();
            long rowNanos = writer.nanos();
            LOG.info(String.format(Locale.ROOT, "dataset %s: %d segments rebuilt, %d retired, %d %s rows "
                    + "in %.2f s (rows read in %.2f s, evaluated in %.2f s, memberships written in %.2f s, log in %.2f s)",
                    datasetId, segments.size(), retiring.size(), rows, typed ? "changed typed" : "JSON",
                    (System.nanoTime() - started) / 1e9, readNanos / 1e9,
                    (evaluateNanos + writeNanos - logNanos - rowNanos) / 1e9, rowNanos / 1e9, logNanos / 1e9));
        }

        Map<String, Rebuilt> rebuilt = new HashMap<>();
        // edited meanwhile: the members follow the version evaluated, and the next run rebuilds
        try (PreparedStatement ps = c.prepareStatement("UPDATE segment SET member_count = ?, evaluated_version = ?, "
                + "status = CASE WHEN definition_version = ? THEN 'live' ELSE 'pending' END, error = NULL, "
                + "last_evaluated_at = ? WHERE id = ?")) {
            for (int i = 0; i < numbers.length; i++) {
                SegmentRule segment = segments.get(i);
                ps.setLong(1, members[i]);
                ps.setLong(2, segment.definitionVersion());
                ps.setLong(3, segment.definitionVersion());
                ps.setTimestamp(4, at);
                ps.setString(5, segment.segmentId());
                ps.addBatch();
                long[] moves = log.moves().getOrDefault(segment.segmentId(), new long[2]);
                rebuilt.put(segment.segmentId(), new Rebuilt(members[i], moves[0], moves[1]));
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE segment SET member_count = 0, evaluated_version = ? WHERE id = ?")) {
            for (Retiring segment : retiring) {
                ps.setLong(1, segment.version());
                ps.setString(2, segment.segmentId());
                ps.addBatch();
                long[] moves = log.moves().getOrDefault(segment.segmentId(), new long[2]);
                rebuilt.put(segment.segmentId(), new Rebuilt(0, 0, moves[1]));
            }
            ps.executeBatch();
        }
        if (!retiring.isEmpty()) {
            // a deleted segment's sync removes everyone Google acknowledged (a full plan): its queue is not read again
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM activation_queue WHERE segment_id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("text", retiring.stream().map(Retiring::segmentId).toArray()));
                ps.executeUpdate();
            }
        }
        return rebuilt;
    }

    /** How many rows of the typed table match each predicate: one scan. */
    private static long[] typedCounts(Connection c, String table, List<RuleSql.Predicate> predicates) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < predicates.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("count(*) FILTER (WHERE ").append(predicates.get(i).sql()).append(')');
        }
        sql.append(" FROM ").append(table).append(" t");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (RuleSql.Predicate predicate : predicates) {
                p = predicate.bind(c, ps, p);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long[] counts = new long[predicates.size()];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = rs.getLong(i + 1);
                }
                return counts;
            }
        }
    }
}
