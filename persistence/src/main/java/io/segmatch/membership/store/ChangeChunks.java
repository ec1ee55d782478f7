package io.segmatch.membership.store;

import io.segmatch.datasets.store.PendingChanges;
import io.segmatch.datasets.store.RowStore;
import io.segmatch.membership.evaluation.ChangedRow;
import io.segmatch.membership.evaluation.EvaluatedRow;
import io.segmatch.membership.evaluation.Memberships;

import java.io.Serializable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chunk step of a processing run: claiming pending changes with the rows' current values,
 * and applying a chunk of evaluated rows in one transaction — enters and exits, the log, the
 * activation queue (for activated segments), member counts, and the consumed changes.
 */
public final class ChangeChunks {

    private ChangeChunks() {
    }

    /** Where the reader of pending changes stands: the last (dataset, key) it returned. */
    public record Position(String datasetId, String key) implements Serializable {
    }

    /**
     * The next pending changes after {@code after} (null: from the start) in (dataset, key)
     * order, with each row's current values (null when deleted) and memberships. The change rows are locked
     * until the transaction ends; rows locked by another run are skipped. Nothing is read when
     * the count of pending changes says there are none: right after a bulk evaluation consumed a
     * million changes, their key index still holds a million dead entries, and walking them to
     * find nothing took 0.24-0.68 s at ten million rows.
     */
    public static List<ChangedRow> claim(Connection c, Position after, int limit) throws SQLException {
        List<ChangedRow> rows = new ArrayList<>(limit);
        if (PendingChanges.count(c) == 0) {
            return rows;
        }
        customPlans(c);
        try (PreparedStatement ps = c.prepareStatement(claimSql(after != null))) {
            int i = 1;
            if (after != null) {
                ps.setString(i++, after.datasetId());
                ps.setString(i++, after.key());
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String data = rs.getString(4);
                    rows.add(new ChangedRow(rs.getString(1), rs.getString(2), rs.getLong(3),
                            data == null ? null : RowStore.parse(data), Memberships.parse(rs.getString(5), rs.getString(6))));
                }
            }
        }
        return rows;
    }

    /**
     * The claim: first the next pending keys (the primary key's order from the position, locked),
     * then each one's row and memberships looked up by equality. The lookups are LATERAL
     * subqueries with {@code LIMIT 1} (the key is unique), which PostgreSQL cannot flatten into
     * a join: its plan is then the same with or without statistics, for one dataset or many.
     * Left to choose a join, after ANALYZE had recorded one distinct dataset id it estimated the
     * position's range at one row and picked nested loops that walked the joined tables from the
     * position, filtering on the key: 2 million buffers and 11 s for a chunk of 1,000 rows that
     * these lookups claim with about 10 buffers a row (ClaimPlanIT checks that bound).
     */
    public static String claimSql(boolean fromPosition) {
        return "SELECT p.dataset_id, p.row_key, p.seq, r.data::text, array_to_string(m.segments, ','), "
                + "array_to_string(m.since, ',') FROM (SELECT dataset_id, row_key, seq FROM pending_change "
                + (fromPosition ? "WHERE (dataset_id, row_key) > (?, ?) " : "")
                + "ORDER BY dataset_id, row_key LIMIT ? FOR UPDATE SKIP LOCKED) p "
                + "LEFT JOIN LATERAL (SELECT data FROM dataset_row x WHERE x.dataset_id = p.dataset_id "
                + "AND x.row_key = p.row_key LIMIT 1) r ON true "
                + "LEFT JOIN LATERAL (SELECT segments, since FROM dataset d "
                + "JOIN row_membership y ON y.dataset = d.number "
                + "WHERE d.id = p.dataset_id AND y.row_key = p.row_key LIMIT 1) m ON true "
                + "ORDER BY p.dataset_id, p.row_key";
    }

    /**
     * Plans each chunk's statements for its own keys and arrays: a plan cached for generic
     * parameters (after five executions) hash-joins whole tables instead of walking the
     * chunk's key range. For the rest of the transaction.
     */
    private static void customPlans(Connection c) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute("SET LOCAL plan_cache_mode = force_custom_plan");
        }
    }

    /** What one chunk changed. */
    public record Applied(long rows, long entered, long exited) {
    }

    /**
     * Applies evaluated rows: members enter and leave, the log and the activation queue get
     * the keys, member counts move, and each claimed change is consumed if its sequence
     * number is still the current one (a row changed again meanwhile stays pending).
     *
     * @param activated the segments among those evaluated whose changes go to the activation queue
     */
    public static Applied apply(Connection c, long runId, List<EvaluatedRow> rows, Set<String> activated,
                                Instant now) throws SQLException {
        return apply(c, runId, rows, activated, now, true, WriteSizes.DEFAULT);
    }

    /** {@link #apply(Connection, long, List, Set, Instant)} with writes cut by {@code sizes}. */
    public static Applied apply(Connection c, long runId, List<EvaluatedRow> rows, Set<String> activated,
                                Instant now, WriteSizes sizes) throws SQLException {
        return apply(c, runId, rows, activated, now, true, sizes);
    }

    /** {@link #apply}, leaving the claimed changes to the caller when {@code consume} is false. */
    static Applied apply(Connection c, long runId, List<EvaluatedRow> rows, Set<String> activated, Instant now,
                         boolean consume, WriteSizes sizes) throws SQLException {
        if (rows.isEmpty()) {
            return new Applied(0, 0, 0);
        }
        customPlans(c);
        Set<String> segments = new HashSet<>();
        Set<Set<String>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (EvaluatedRow r : rows) {
            if (seen.add(r.evaluated())) {
                segments.addAll(r.evaluated());
            }
        }
        Map<String, Integer> numbers = numbers(c, segments);
        Timestamp at = Timestamp.from(now);
        long nowMillis = now.toEpochMilli();
        ChangeLog log = new ChangeLog(c, runId, at, true, sizes.logKeys());
        Map<String, List<EvaluatedRow>> byDataset = new LinkedHashMap<>();
        rows.forEach(r -> byDataset.computeIfAbsent(r.change().datasetId(), d -> new ArrayList<>()).add(r));
        for (var group : byDataset.entrySet()) {
            RowMemberships.Writer writer = new RowMemberships.Writer(c, group.getKey(), sizes.rows());
            for (EvaluatedRow row : group.getValue()) {
                String key = row.change().key();
                Memberships old = row.change().memberships();
                RowMemberships.Builder next = new RowMemberships.Builder(old, row.evaluated().size());
                for (String segment : row.evaluated()) {
                    Integer number = numbers.get(segment);
                    if (number != null) { // null: deleted meanwhile and gone, its members left with it
                        next.decide(number, segment, row.matching().contains(segment), key, log, nowMillis);
                    }
                }
                if (next.moved()) {
                    writer.put(key, next.build(), old.isEmpty());
                }
            }
            writer.flush();
        }
        log.flush();
        log.count(true);
        if (consume) {
            consume(c, rows);
        }
        return new Applied(rows.size(), log.entered(), log.exited());
    }

    /** The numbers of these segments (those that still exist). */
    static Map<String, Integer> numbers(Connection c, Set<String> segmentIds) throws SQLException {
        Map<String, Integer> numbers = new HashMap<>();
        if (segmentIds.isEmpty()) {
            return numbers;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, number FROM segment WHERE id = ANY(?::text[])")) {
            ps.setArray(1, c.createArrayOf("text", segmentIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    numbers.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return numbers;
    }

    /** Consumes claimed changes of one dataset: (dataset, keys, keys, keys, seqs). */
    public static final String CONSUME_SQL = "DELETE FROM pending_change p WHERE p.dataset_id = ? "
            + "AND p.row_key >= (SELECT min(k) FROM unnest(?::text[]) AS k) "
            + "AND p.row_key <= (SELECT max(k) FROM unnest(?::text[]) AS k) AND (p.row_key, p.seq) IN "
            + "(SELECT k, s FROM unnest(?::text[], ?::bigint[]) AS d(k, s))";

    /**
     * Deletes the claimed changes whose sequence number is still the one claimed, dataset by
     * dataset over the chunk's key range (the primary key's order; a join on the whole table
     * measured 10× slower once 100K changes wait).
     */
    private static void consume(Connection c, List<EvaluatedRow> rows) throws SQLException {
        Map<String, List<EvaluatedRow>> byDataset = new HashMap<>();
        rows.forEach(r -> byDataset.computeIfAbsent(r.change().datasetId(), d -> new ArrayList<>()).add(r));
        try (PreparedStatement ps = c.prepareStatement(CONSUME_SQL)) {
            for (var group : byDataset.entrySet()) {
                Array keys = c.createArrayOf("text", group.getValue().stream().map(r -> r.change().key()).toArray());
                ps.setString(1, group.getKey());
                ps.setArray(2, keys);
                ps.setArray(3, keys);
                ps.setArray(4, keys);
                ps.setArray(5, c.createArrayOf("bigint", group.getValue().stream().map(r -> r.change().seq()).toArray()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }


}
