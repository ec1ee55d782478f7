package io.segmatch.membership.store;

import io.segmatch.datasets.store.RowStore;
import io.segmatch.membership.evaluation.ChangedRow;
import io.segmatch.membership.evaluation.EvaluatedRow;

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

    /**
     * From how many keys a chunk reads memberships by key range rather than key by key. Both
     * give the same answer; tests lower it to run the range path on small data.
     */
    static volatile int rangeScanFrom = 64;

    /** For tests: run the key-range path from this many keys on. */
    public static void rangeScanFrom(int keys) {
        rangeScanFrom = keys;
    }

    /** Where the reader of pending changes stands: the last (dataset, key) it returned. */
    public record Position(String datasetId, String key) implements java.io.Serializable {
    }

    /**
     * The next pending changes after {@code after} (null: from the start) in (dataset, key)
     * order, with each row's current values (null when deleted). The change rows are locked
     * until the transaction ends; rows locked by another run are skipped.
     */
    public static List<ChangedRow> claim(Connection c, Position after, int limit) throws SQLException {
        String sql = "SELECT p.dataset_id, p.row_key, p.seq, r.data::text FROM pending_change p "
                + "LEFT JOIN dataset_row r ON r.dataset_id = p.dataset_id AND r.row_key = p.row_key "
                + (after == null ? "" : "WHERE (p.dataset_id, p.row_key) > (?, ?) ")
                + "ORDER BY p.dataset_id, p.row_key LIMIT ? FOR UPDATE OF p SKIP LOCKED";
        List<ChangedRow> rows = new ArrayList<>(limit);
        customPlans(c);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
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
                            data == null ? null : RowStore.parse(data)));
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
     * one entry each, member counts move, and each claimed change is consumed if its sequence
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
        Map<String, Set<String>> current = current(c, rows, segments);

        List<String[]> enters = new ArrayList<>();
        List<String[]> exits = new ArrayList<>();
        for (EvaluatedRow row : rows) {
            String key = row.change().key();
            for (String segment : row.evaluated()) {
                Set<String> members = current.get(segment);
                boolean member = members != null && members.contains(key);
                boolean matches = row.matching().contains(segment);
                if (matches && !member) {
                    enters.add(new String[]{segment, key});
                } else if (!matches && member) {
                    exits.add(new String[]{segment, key});
                }
            }
        }
        Timestamp at = Timestamp.from(now);
        if (!enters.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO segment_member (segment_id, row_key, since) "
                    + "SELECT s, k, ? FROM unnest(?::text[], ?::text[]) AS d(s, k)")) {
                ps.setTimestamp(1, at);
                ps.setArray(2, texts(c, enters, 0));
                ps.setArray(3, texts(c, enters, 1));
                ps.executeUpdate();
            }
        }
        if (!exits.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM segment_member m "
                    + "USING unnest(?::text[], ?::text[]) AS d(s, k) WHERE m.segment_id = d.s AND m.row_key = d.k")) {
                ps.setArray(1, texts(c, exits, 0));
                ps.setArray(2, texts(c, exits, 1));
                ps.executeUpdate();
            }
        }
        log(c, runId, enters, exits, activated, at);
        counts(c, runId, enters, exits);
        consume(c, rows);
        return new Applied(rows.size(), enters.size(), exits.size());
    }

    /**
     * The (segment, key) memberships among these rows. A chunk's keys come in key order, so
     * for a bulk chunk each segment's members are read over the chunk's key range (measured
     * 4–20× faster than probing every segment × key pair); a few keys are probed one by one.
     */
    private static Map<String, Set<String>> current(Connection c, List<EvaluatedRow> rows, Set<String> segments)
            throws SQLException {
        Map<String, Set<String>> current = new HashMap<>();
        if (segments.isEmpty()) {
            return current;
        }
        List<String> keys = rows.stream().map(r -> r.change().key()).distinct().toList();
        boolean range = keys.size() >= rangeScanFrom;
        // the range's ends come from PostgreSQL (min and max in the column's collation), never
        // from Java's string order, which differs from most database collations
        String sql = range
                ? "SELECT m.segment_id, m.row_key FROM unnest(?::text[]) AS s(id) "
                + "CROSS JOIN (SELECT min(k) AS lo, max(k) AS hi FROM unnest(?::text[]) AS k) b "
                + "JOIN LATERAL (SELECT m.segment_id, m.row_key FROM segment_member m WHERE m.segment_id = s.id "
                + "AND m.row_key >= b.lo AND m.row_key <= b.hi) m ON true WHERE m.row_key = ANY(?::text[])"
                : "SELECT segment_id, row_key FROM segment_member WHERE segment_id = ANY(?::text[]) AND row_key = ANY(?::text[])";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Array keyArray = c.createArrayOf("text", keys.toArray());
            ps.setArray(1, c.createArrayOf("text", segments.toArray()));
            ps.setArray(2, keyArray);
            if (range) {
                ps.setArray(3, keyArray);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    current.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                }
            }
        }
        return current;
    }

    private static void log(Connection c, long runId, List<String[]> enters, List<String[]> exits,
                            Set<String> activated, Timestamp at) throws SQLException {
        List<String[]> all = new ArrayList<>(enters.size() + exits.size());
        List<String> kinds = new ArrayList<>();
        enters.forEach(e -> {
            all.add(e);
            kinds.add("enter");
        });
        exits.forEach(e -> {
            all.add(e);
            kinds.add("exit");
        });
        if (all.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO membership_change (segment_id, row_key, change, at, run_id) "
                + "SELECT s, k, ch, ?, ? FROM unnest(?::text[], ?::text[], ?::text[]) AS d(s, k, ch)")) {
            ps.setTimestamp(1, at);
            ps.setLong(2, runId);
            ps.setArray(3, texts(c, all, 0));
            ps.setArray(4, texts(c, all, 1));
            ps.setArray(5, c.createArrayOf("text", kinds.toArray()));
            ps.executeUpdate();
        }
        List<String[]> queued = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (activated.contains(all.get(i)[0])) {
                queued.add(all.get(i));
                changes.add(kinds.get(i).equals("enter") ? "add" : "remove");
            }
        }
        if (!queued.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO activation_queue (segment_id, row_key, change, queued_at, run_id) "
                    + "SELECT s, k, ch, ?, ? FROM unnest(?::text[], ?::text[], ?::text[]) AS d(s, k, ch)")) {
                ps.setTimestamp(1, at);
                ps.setLong(2, runId);
                ps.setArray(3, texts(c, queued, 0));
                ps.setArray(4, texts(c, queued, 1));
                ps.setArray(5, c.createArrayOf("text", changes.toArray()));
                ps.executeUpdate();
            }
        }
    }

    private static void counts(Connection c, long runId, List<String[]> enters, List<String[]> exits) throws SQLException {
        Map<String, long[]> moves = new HashMap<>();
        enters.forEach(e -> moves.computeIfAbsent(e[0], k -> new long[2])[0]++);
        exits.forEach(e -> moves.computeIfAbsent(e[0], k -> new long[2])[1]++);
        for (var move : moves.entrySet()) {
            ProcessingRuns.segmentMoved(c, move.getKey(), runId, move.getValue()[0], move.getValue()[1]);
        }
        Map<String, Long> delta = new HashMap<>();
        enters.forEach(e -> delta.merge(e[0], 1L, Long::sum));
        exits.forEach(e -> delta.merge(e[0], -1L, Long::sum));
        delta.values().removeIf(d -> d == 0);
        if (delta.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE segment s SET member_count = s.member_count + d.n "
                + "FROM unnest(?::text[], ?::bigint[]) AS d(id, n) WHERE s.id = d.id")) {
            ps.setArray(1, c.createArrayOf("text", delta.keySet().toArray()));
            ps.setArray(2, c.createArrayOf("bigint", delta.values().toArray()));
            ps.executeUpdate();
        }
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

    private static Array texts(Connection c, List<String[]> pairs, int index) throws SQLException {
        return c.createArrayOf("text", pairs.stream().map(p -> p[index]).toArray());
    }

}
