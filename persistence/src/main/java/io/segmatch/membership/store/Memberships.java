package io.segmatch.membership.store;

import io.segmatch.datasets.store.RowStore;
import io.segmatch.membership.evaluation.ChangedRow;
import io.segmatch.membership.evaluation.EvaluatedRow;
import io.segmatch.membership.evaluation.SegmentRule;
import io.segmatch.segments.evaluation.RuleSql;

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
 * The writes of a processing run, each meant to run inside one transaction with everything
 * it describes: applying a chunk of evaluated changes, rebuilding a segment by set
 * difference, retiring a deleted segment. Every enter and exit goes to the log with the run,
 * and to the activation queue when the segment is activated, in the same transaction.
 */
public final class Memberships {

    private Memberships() {
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
            segmentRun(c, move.getKey(), runId, move.getValue()[0], move.getValue()[1]);
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

    /** Records that a run moved a segment's members (the console's "runs that changed it"). */
    static void segmentRun(Connection c, String segmentId, long runId, long entered, long exited) throws SQLException {
        if (entered + exited == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO segment_run (segment_id, run_id, entered, exited) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (segment_id, run_id) DO UPDATE SET entered = segment_run.entered + "
                + "excluded.entered, exited = segment_run.exited + excluded.exited")) {
            ps.setString(1, segmentId);
            ps.setLong(2, runId);
            ps.setLong(3, entered);
            ps.setLong(4, exited);
            ps.executeUpdate();
        }
    }

    private static Array texts(Connection c, List<String[]> pairs, int index) throws SQLException {
        return c.createArrayOf("text", pairs.stream().map(p -> p[index]).toArray());
    }

    /** What a rebuild changed. */
    public record Rebuilt(long members, long entered, long exited) {
    }

    /**
     * Re-evaluates a segment over its whole dataset and moves its members by set difference:
     * rows that match and are not members enter, members that no longer match (or whose row
     * is gone) exit; members that stay keep their {@code since}. Then the segment is live at
     * the version evaluated. Run it in its own transaction.
     */
    public static Rebuilt rebuild(Connection c, long runId, SegmentRule segment, Instant now) throws SQLException {
        RuleSql.Predicate where = RuleSql.where(segment.rule(), now);
        String sql = "WITH matching AS MATERIALIZED (SELECT r.row_key FROM dataset_row r WHERE r.dataset_id = ? AND "
                + where.sql() + "), "
                + "present AS MATERIALIZED (SELECT row_key FROM segment_member WHERE segment_id = ?), "
                + "entered AS (INSERT INTO segment_member (segment_id, row_key, since) SELECT ?, m.row_key, ? FROM matching m "
                + "WHERE NOT EXISTS (SELECT 1 FROM present x WHERE x.row_key = m.row_key) RETURNING row_key), "
                + "exited AS (DELETE FROM segment_member sm USING present x WHERE sm.segment_id = ? AND sm.row_key = x.row_key "
                + "AND NOT EXISTS (SELECT 1 FROM matching m WHERE m.row_key = x.row_key) RETURNING sm.row_key), "
                + "changes AS (SELECT row_key, 'enter' AS change FROM entered UNION ALL SELECT row_key, 'exit' FROM exited), "
                + "logged AS (INSERT INTO membership_change (segment_id, row_key, change, at, run_id) "
                + "SELECT ?, row_key, change, ?, ? FROM changes), "
                + "queued AS (INSERT INTO activation_queue (segment_id, row_key, change, queued_at, run_id) "
                + "SELECT ?, row_key, CASE change WHEN 'enter' THEN 'add' ELSE 'remove' END, ?, ? FROM changes WHERE ?) "
                + "SELECT (SELECT count(*) FROM matching), (SELECT count(*) FROM entered), (SELECT count(*) FROM exited)";
        Timestamp at = Timestamp.from(now);
        long members;
        long entered;
        long exited;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, segment.datasetId());
            int i = where.bind(c, ps, 2);
            ps.setString(i++, segment.segmentId());
            ps.setString(i++, segment.segmentId());
            ps.setTimestamp(i++, at);
            ps.setString(i++, segment.segmentId());
            ps.setString(i++, segment.segmentId());
            ps.setTimestamp(i++, at);
            ps.setLong(i++, runId);
            ps.setString(i++, segment.segmentId());
            ps.setTimestamp(i++, at);
            ps.setLong(i++, runId);
            ps.setBoolean(i, segment.activated());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                members = rs.getLong(1);
                entered = rs.getLong(2);
                exited = rs.getLong(3);
            }
        }
        // edited meanwhile: the members follow the version evaluated, and the next run rebuilds
        try (PreparedStatement ps = c.prepareStatement("UPDATE segment SET member_count = ?, evaluated_version = ?, "
                + "status = CASE WHEN definition_version = ? THEN 'live' ELSE 'pending' END, error = NULL, "
                + "last_evaluated_at = ? WHERE id = ?")) {
            ps.setLong(1, members);
            ps.setLong(2, segment.definitionVersion());
            ps.setLong(3, segment.definitionVersion());
            ps.setTimestamp(4, at);
            ps.setString(5, segment.segmentId());
            ps.executeUpdate();
        }
        segmentRun(c, segment.segmentId(), runId, entered, exited);
        return new Rebuilt(members, entered, exited);
    }

    /**
     * A deleted segment's members exit (logged, and queued for removal when it was activated);
     * the tombstone then records that it has been retired. Run it in its own transaction.
     */
    public static long retire(Connection c, long runId, String segmentId, boolean activated, long version, Instant now)
            throws SQLException {
        String sql = "WITH exited AS (DELETE FROM segment_member WHERE segment_id = ? RETURNING row_key), "
                + "logged AS (INSERT INTO membership_change (segment_id, row_key, change, at, run_id) "
                + "SELECT ?, row_key, 'exit', ?, ? FROM exited), "
                + "queued AS (INSERT INTO activation_queue (segment_id, row_key, change, queued_at, run_id) "
                + "SELECT ?, row_key, 'remove', ?, ? FROM exited WHERE ?) "
                + "SELECT count(*) FROM exited";
        Timestamp at = Timestamp.from(now);
        long exited;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, segmentId);
            ps.setString(2, segmentId);
            ps.setTimestamp(3, at);
            ps.setLong(4, runId);
            ps.setString(5, segmentId);
            ps.setTimestamp(6, at);
            ps.setLong(7, runId);
            ps.setBoolean(8, activated);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                exited = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE segment SET member_count = 0, evaluated_version = ? WHERE id = ?")) {
            ps.setLong(1, version);
            ps.setString(2, segmentId);
            ps.executeUpdate();
        }
        segmentRun(c, segmentId, runId, 0, exited);
        return exited;
    }

    /**
     * Segments a run must rebuild: their definition changed since they were evaluated, or
     * they hold an {@code in_last_days} condition and were last evaluated over an hour ago.
     */
    public static List<String> needingRebuild(Connection c) throws SQLException {
        return ids(c, "SELECT id FROM segment WHERE deleted_at IS NULL AND (" + STALE + ") ORDER BY created_at, id");
    }

    /**
     * Consumes the pending changes of datasets that have no up-to-date live segment (none at
     * all, or only segments waiting for a rebuild): there is nothing to evaluate them against
     * incrementally, and a rebuild that starts after this statement covers them. Returns how
     * many were consumed.
     */
    public static long settleUnevaluated(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM pending_change p WHERE NOT EXISTS (SELECT 1 FROM segment s "
                + "WHERE s.dataset_id = p.dataset_id AND s.deleted_at IS NULL AND s.definition_version = s.evaluated_version)")) {
            return ps.executeUpdate();
        }
    }

    /** Deleted segments whose members have not left yet. */
    public static List<String> needingRetirement(Connection c) throws SQLException {
        return ids(c, "SELECT id FROM segment WHERE deleted_at IS NOT NULL AND evaluated_version < definition_version "
                + "ORDER BY deleted_at, id");
    }

    /** The SQL condition (over {@code segment}) of a segment that needs a rebuild. */
    public static final String STALE = "definition_version > evaluated_version OR (conditions_json::jsonb @> "
            + "'[{\"operator\": \"in_last_days\"}]' AND (last_evaluated_at IS NULL "
            + "OR last_evaluated_at < now() - interval '1 hour'))";

    private static List<String> ids(Connection c, String sql) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Marks a segment as being rebuilt (committed on its own, so that the API shows it). */
    public static void evaluating(Connection c, String segmentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE segment SET status = 'evaluating' WHERE id = ? "
                + "AND definition_version > evaluated_version")) {
            ps.setString(1, segmentId);
            ps.executeUpdate();
        }
    }

    /** Records a failed rebuild on the segment. */
    public static void failed(Connection c, String segmentId, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE segment SET status = 'failed', error = ? WHERE id = ?")) {
            ps.setString(1, error);
            ps.setString(2, segmentId);
            ps.executeUpdate();
        }
    }

    /**
     * At the end of a run: every live segment of the datasets it evaluated that is caught up
     * with its definition is live, evaluated now.
     */
    public static void caughtUp(Connection c, Set<String> datasetIds, Instant now) throws SQLException {
        if (datasetIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE segment SET status = 'live', error = NULL, "
                + "last_evaluated_at = ? WHERE deleted_at IS NULL AND dataset_id = ANY(?::text[]) "
                + "AND definition_version = evaluated_version AND status <> 'failed'")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setArray(2, c.createArrayOf("text", datasetIds.toArray()));
            ps.executeUpdate();
        }
    }

    /** A member of a segment. */
    public record Member(String key, Instant since) {
    }

    /** An entry of the enter/exit log. */
    public record Change(long id, String key, String change, Instant at, long runId) {
    }

    /**
     * A page of a segment's members in key order after {@code afterKey} (null: from the
     * start), optionally only keys starting with {@code prefix}; one more than {@code limit}
     * is read to tell whether a next page exists.
     */
    public static List<Member> members(Connection c, String segmentId, String afterKey, String prefix, int limit)
            throws SQLException {
        String sql = "SELECT row_key, since FROM segment_member WHERE segment_id = ? "
                + (afterKey == null ? "" : "AND row_key > ? ")
                + (prefix == null ? "" : "AND starts_with(row_key, ?) ")
                + "ORDER BY row_key LIMIT ?";
        List<Member> members = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, segmentId);
            if (afterKey != null) {
                ps.setString(i++, afterKey);
            }
            if (prefix != null) {
                ps.setString(i++, prefix);
            }
            ps.setInt(i, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(new Member(rs.getString(1), rs.getTimestamp(2).toInstant()));
                }
            }
        }
        return members;
    }

    /** A page of a segment's enter/exit log, oldest first after {@code afterId}; one more than {@code limit}. */
    public static List<Change> changes(Connection c, String segmentId, long afterId, int limit, boolean newestFirst)
            throws SQLException {
        String sql = "SELECT id, row_key, change, at, run_id FROM membership_change WHERE segment_id = ? AND id "
                + (newestFirst ? "< ?" : "> ?") + " ORDER BY id " + (newestFirst ? "DESC" : "") + " LIMIT ?";
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, segmentId);
            ps.setLong(2, newestFirst && afterId == 0 ? Long.MAX_VALUE : afterId);
            ps.setInt(3, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            rs.getLong(5)));
                }
            }
        }
        return changes;
    }
}
