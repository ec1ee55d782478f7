package io.segmatch.membership.store;

import io.segmatch.datasets.store.RowStore;
import io.segmatch.membership.evaluation.ChangedRow;
import io.segmatch.membership.evaluation.EvaluatedRow;
import io.segmatch.membership.evaluation.Memberships;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
    public record Position(String datasetId, String key) implements java.io.Serializable {
    }

    /**
     * The next pending changes after {@code after} (null: from the start) in (dataset, key)
     * order, with each row's current values (null when deleted) and memberships. The change rows are locked
     * until the transaction ends; rows locked by another run are skipped.
     */
    public static List<ChangedRow> claim(Connection c, Position after, int limit) throws SQLException {
        // the position is repeated on the joined tables: PostgreSQL does not carry a row
        // comparison across an equi-join, and a merge join then read the memberships from the
        // first key on for every chunk (half the table on average: 150 ms instead of 10 ms per
        // chunk of a million-row dataset)
        String range = after == null ? "" : "AND (%s.dataset_id, %s.row_key) > (?, ?) ";
        String sql = "SELECT p.dataset_id, p.row_key, p.seq, r.data::text, array_to_string(m.segments, ','), "
                + "array_to_string(m.since, ',') FROM pending_change p "
                + "LEFT JOIN dataset_row r ON r.dataset_id = p.dataset_id AND r.row_key = p.row_key " + range.formatted("r", "r")
                + "LEFT JOIN row_membership m ON m.dataset_id = p.dataset_id AND m.row_key = p.row_key " + range.formatted("m", "m")
                + (after == null ? "" : "WHERE (p.dataset_id, p.row_key) > (?, ?) ")
                + "ORDER BY p.dataset_id, p.row_key LIMIT ? FOR UPDATE OF p SKIP LOCKED";
        List<ChangedRow> rows = new ArrayList<>(limit);
        customPlans(c);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (after != null) {
                for (int table = 0; table < 3; table++) {
                    ps.setString(i++, after.datasetId());
                    ps.setString(i++, after.key());
                }
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
        if (rows.isEmpty()) {
            return new Applied(0, 0, 0);
        }
        customPlans(c);
        Set<String> segments = new HashSet<>();
        Set<Set<String>> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (EvaluatedRow r : rows) {
            if (seen.add(r.evaluated())) {
                segments.addAll(r.evaluated());
            }
        }
        Map<String, Integer> numbers = numbers(c, segments);
        Timestamp at = Timestamp.from(now);
        long nowMillis = now.toEpochMilli();
        ChangeLog log = new ChangeLog(c, runId, at, activated);
        Map<String, List<EvaluatedRow>> byDataset = new java.util.LinkedHashMap<>();
        rows.forEach(r -> byDataset.computeIfAbsent(r.change().datasetId(), d -> new ArrayList<>()).add(r));
        for (var group : byDataset.entrySet()) {
            RowMemberships.Writer writer = new RowMemberships.Writer(c, group.getKey());
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
        consume(c, rows);
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

    /**
     * Deletes the claimed changes whose sequence number is still the one claimed, dataset by
     * dataset over the chunk's key range (the primary key's order; a join on the whole table
     * measured 10× slower once 100K changes wait).
     */
    private static void consume(Connection c, List<EvaluatedRow> rows) throws SQLException {
        Map<String, List<EvaluatedRow>> byDataset = new HashMap<>();
        rows.forEach(r -> byDataset.computeIfAbsent(r.change().datasetId(), d -> new ArrayList<>()).add(r));
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM pending_change p WHERE p.dataset_id = ? "
                + "AND p.row_key >= (SELECT min(k) FROM unnest(?::text[]) AS k) "
                + "AND p.row_key <= (SELECT max(k) FROM unnest(?::text[]) AS k) AND (p.row_key, p.seq) IN "
                + "(SELECT k, s FROM unnest(?::text[], ?::bigint[]) AS d(k, s))")) {
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
