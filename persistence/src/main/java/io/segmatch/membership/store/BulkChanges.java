package io.segmatch.membership.store;

import io.segmatch.datasets.store.PendingChanges;
import io.segmatch.membership.evaluation.ChangedRow;
import io.segmatch.membership.evaluation.EvaluatedRow;
import io.segmatch.membership.evaluation.Memberships;
import io.segmatch.membership.evaluation.SegmentRule;
import io.segmatch.segments.evaluation.RuleSql;
import io.segmatch.shared.store.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The pending changes of a dataset evaluated all at once, when there are many: with the
 * dataset locked against writes (as every write of its rows locks it, so its pending changes
 * stand still until this transaction ends), the changes are consumed in one statement (deleted,
 * their keys kept for the transaction), then one more answers, for every consumed row, each
 * live segment's rule, compiled to SQL over the dataset's typed table, against the row's
 * memberships, and returns only the rows that enter or leave a segment (or stay in an
 * activated one); those are applied as the chunk step applies them ({@link ChangeChunks#apply}),
 * a few thousand at a time, in the same transaction. A hundred thousand changes cost two
 * joins instead of two hundred thousand index lookups and as many JSON parses, the rows that
 * move nothing never leave the database, and each change is written once (its deletion), not
 * locked first and deleted after. If the transaction fails, the changes are pending again.
 * Datasets whose typed table is not current, or whose rules read a column it lacks, are left
 * to the chunk step.
 */
public final class BulkChanges {

    private static final Logger LOG = Logger.getLogger(BulkChanges.class.getName());
    private static final int APPLY_BATCH = 5000;

    /**
     * The claimed rows are looked up by key, in key order, when they are at most this share of
     * the dataset's rows (by the dataset's recorded count, never the planner's estimates): a
     * hash or merge join passes over the whole typed table and every membership, whatever the
     * number of claims, and lookups in key order touch consecutive pages. The benchmark's
     * million claims of ten million rows were read in 29.3 s this way, 37.9 s joined; a hundred
     * thousand of a million, in 2.3 and 2.5 s.
     */
    public static final double LOOKUP_SHARE = 0.2;

    /**
     * The transaction's claimed changes, one per key (a dataset's pending changes are). No
     * index: the changes come out of {@code pending_change} in no key order, and a million
     * of them inserted into a key index took 3.7-4.2 s against 0.9-1.0 s without it (PostgreSQL
     * 15, 8 MB of temporary buffers); the read sorts them once (0.3-0.4 s) or hashes them.
     */
    public static final String CLAIM_TABLE = "bulk_claim (row_key " + Jdbc.ROW_KEY_TYPE + " NOT NULL, seq bigint NOT NULL)";

    private BulkChanges() {
    }

    /**
     * The datasets with at least {@code minimum} pending changes, in id order: found by a walk
     * down the changes' key index and counted through it up to {@code minimum}, never by
     * reading every change ({@link PendingChanges#datasets}, {@link PendingChanges#atLeast}).
     */
    public static List<String> candidates(Connection c, long minimum) throws SQLException {
        List<String> found = new ArrayList<>();
        for (String datasetId : PendingChanges.datasets(c)) {
            if (PendingChanges.atLeast(c, datasetId, minimum)) {
                found.add(datasetId);
            }
        }
        return found;
    }

    /**
     * Evaluates and applies the dataset's pending changes in this transaction; empty when the
     * dataset is left to the chunk step (see the class comment) or has no live segment.
     *
     * @param activated receives the activated segments among those evaluated
     */
    public static Optional<ChangeChunks.Applied> evaluate(Connection c, long runId, String datasetId, Instant now,
                                                          Set<String> activated) throws SQLException {
        return evaluate(c, runId, datasetId, now, activated, WriteSizes.DEFAULT);
    }

    /** {@link #evaluate(Connection, long, String, Instant, Set)} with writes cut by {@code sizes}. */
    public static Optional<ChangeChunks.Applied> evaluate(Connection c, long runId, String datasetId, Instant now,
                                                          Set<String> activated, WriteSizes sizes) throws SQLException {
        return evaluate(c, runId, datasetId, now, activated, sizes, LOOKUP_SHARE);
    }

    /**
     * {@link #evaluate(Connection, long, String, Instant, Set, WriteSizes)}, the claims looked up
     * by key when they are at most {@code lookupShare} of the dataset's rows (1: always, 0:
     * never; the membership property test alternates them: both forms give the same answers).
     */
    public static Optional<ChangeChunks.Applied> evaluate(Connection c, long runId, String datasetId, Instant now,
                                                          Set<String> activated, WriteSizes sizes, double lookupShare)
            throws SQLException {
        // first, before anything else of the dataset is read: a writer holds the same row
        // while it writes rows and their pending changes, and waits here until this ends
        if (!lockAgainstWrites(c, datasetId)) {
            return Optional.empty();
        }
        List<SegmentRule> segments = LiveSegments.ofDataset(c, datasetId);
        Optional<TypedRules> rules = TypedRules.of(c, datasetId, segments, now);
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        List<RuleSql.Predicate> predicates = rules.get().predicates();
        Set<String> mine = new HashSet<>();
        segments.stream().filter(SegmentRule::activated).forEach(s -> mine.add(s.segmentId()));
        activated.addAll(mine);
        Set<String> evaluated = Set.copyOf(segments.stream().map(SegmentRule::segmentId).toList());

        long t0 = System.nanoTime();
        // consumed first, then read in a statement of their own: no writer of the dataset runs until
        // this transaction ends, so every change is read with its row as that change left it; a
        // change another transaction holds (a chunk of a run taken for lost) is waited for
        execute(c, "CREATE TEMPORARY TABLE " + CLAIM_TABLE + " ON COMMIT DROP");
        long claims;
        try (PreparedStatement ps = c.prepareStatement("WITH claimed AS (DELETE FROM pending_change "
                + "WHERE dataset_id = ? RETURNING row_key, seq) INSERT INTO bulk_claim SELECT row_key, seq FROM claimed")) {
            ps.setString(1, datasetId);
            claims = ps.executeUpdate();
        }
        execute(c, "ANALYZE bulk_claim");
        boolean lookups = lookedUp(c, datasetId, claims, lookupShare);

        // which segments' staying members are queued, read under the lock that a full sync plan waits for
        Set<String> queued = activatedUnderLock(c, segments);
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            columns.add(new Column(predicates.get(i), segments.get(i).number(), queued.contains(segments.get(i).segmentId())));
        }

        Map<Integer, String> byNumber = new HashMap<>();
        segments.forEach(segment -> byNumber.put(segment.number(), segment.segmentId()));

        long t1 = System.nanoTime();
        long applyNanos = 0;
        String sql = readSql(rules.get().table().name(), columns, lookups);
        long returned = 0;
        long rows = 0;
        long entered = 0;
        long exited = 0;
        List<EvaluatedRow> batch = new ArrayList<>(APPLY_BATCH);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (Column column : ascending(columns)) {
                p = column.predicate().bind(c, ps, p);
            }
            ps.setString(p, datasetId);
            ps.setFetchSize(APPLY_BATCH);
            // planned as it is executed: the settings are set back before the rows are applied
            ResultSet planned = Jdbc.withPlannerOff(c, lookups ? List.of("hashjoin", "mergejoin") : List.of(),
                    x -> ps.executeQuery());
            try (ResultSet rs = planned) {
                while (rs.next()) {
                    returned++;
                    boolean exists = rs.getBoolean(3);
                    ChangedRow change = new ChangedRow(datasetId, rs.getString(1), rs.getLong(2), exists ? Map.of() : null,
                            Memberships.parse(rs.getString(4), rs.getString(5)));
                    Set<String> matching = exists ? matching(rs.getString(6), byNumber) : Set.of();
                    batch.add(new EvaluatedRow(change, evaluated, matching));
                    if (batch.size() == APPLY_BATCH) {
                        long a0 = System.nanoTime();
                        ChangeChunks.Applied applied = ChangeChunks.apply(c, runId, batch, mine, now, false, sizes);
                        applyNanos += System.nanoTime() - a0;
                        rows += applied.rows();
                        entered += applied.entered();
                        exited += applied.exited();
                        batch.clear();
                    }
                }
            }
        }
        long t2 = System.nanoTime();
        ChangeChunks.Applied applied = ChangeChunks.apply(c, runId, batch, mine, now, false, sizes);
        long t3 = System.nanoTime();
        applyNanos += t3 - t2;
        LOG.info(String.format(Locale.ROOT, "dataset %s: %d pending changes evaluated in bulk against %d segments in "
                + "%.2f s (claimed in %.2f s, read with the rules' answers (%s; %d rows to apply) in %.2f s, applied in "
                + "%.2f s)", datasetId, claims, segments.size(), (t3 - t0) / 1e9, (t1 - t0) / 1e9,
                lookups ? "looked up in key order" : "joined", returned, (t3 - t1 - applyNanos) / 1e9, applyNanos / 1e9));
        // every claimed row was evaluated: those the read left out stay as they are
        return Optional.of(new ChangeChunks.Applied(rows + applied.rows() + (claims - returned), entered + applied.entered(),
                exited + applied.exited()));
    }

    /**
     * A live segment as the read answers for it: its rule over the typed table, its number
     * (as {@code row_membership} holds it), and whether its staying members are returned too
     * (an activated segment queues them as updates).
     */
    public record Column(RuleSql.Predicate predicate, int number, boolean stays) {
    }

    /**
     * The read: the claimed rows (in {@code bulk_claim}) that have something to apply, with
     * their memberships and the numbers of the segments whose rules they answer yes to, by key.
     * A row has something to apply when it enters or leaves a segment, or stays in one whose
     * staying members come back ({@link Column#stays}); the others, usually nearly all of them,
     * are answered and left in the database, unsent. A row's answers are gathered into one array
     * of segment numbers, ascending as its memberships are, and the two arrays compared once: a
     * hundred segments' answers checked one by one against the memberships (each a search of
     * the array) cost more than the rules themselves (1M rows, 100 segments, 100K claims: 3.5-4.4 s
     * against 1.9-2.1 s). A row whose memberships hold a segment not among {@code columns} (one
     * deleted and not yet retired) comes back too, and moves nothing. {@code lookups}: the claims
     * in key order, for nested loops (the caller turns hash and merge joins off while it is
     * planned). Columns: key, seq, whether the row exists, its segments and their since (as
     * {@code array_to_string}), the matched numbers (the same). Parameters: the predicates', in
     * the order of {@link #ascending}, then the dataset.
     */
    public static String readSql(String typedTable, List<Column> columns, boolean lookups) {
        // segment numbers are integers the schema gives, never text from a request
        List<Column> ascending = ascending(columns);
        StringBuilder inner = new StringBuilder("SELECT b.row_key, b.seq, t.row_key IS NOT NULL AS e, m.segments, m.since, ");
        if (ascending.isEmpty()) {
            inner.append("'{}'::integer[]");
        } else {
            inner.append("array_remove(ARRAY[").append(ascending.stream().map(c -> "CASE WHEN " + c.predicate().sql()
                    + " THEN " + c.number() + " END").collect(Collectors.joining(", "))).append("]::integer[], NULL)");
        }
        inner.append(" AS matched");
        // (a subquery with its own ORDER BY is not merged into the query: its order is the lookups')
        inner.append(lookups ? " FROM (SELECT row_key, seq FROM bulk_claim ORDER BY row_key) b" : " FROM bulk_claim b")
                .append(" LEFT JOIN ").append(typedTable).append(" t ON t.row_key = b.row_key "
                + "LEFT JOIN row_membership m ON m.dataset = " + RowMemberships.DATASET
                + " AND m.row_key = b.row_key ORDER BY b.row_key");
        String stays = columns.stream().filter(Column::stays).map(c -> String.valueOf(c.number()))
                .collect(Collectors.joining(",", "'{", "}'::integer[]"));
        StringBuilder sql = new StringBuilder("SELECT row_key, seq, e, array_to_string(segments, ','), "
                + "array_to_string(since, ','), array_to_string(matched, ',')");
        // OFFSET 0 keeps the rules' answers computed once, in the subquery, rather than again in the filter
        sql.append(" FROM (").append(inner).append(" OFFSET 0) x WHERE ");
        if (columns.isEmpty()) {
            sql.append("false");
        } else {
            sql.append("(CASE WHEN e THEN matched ELSE '{}'::integer[] END) IS DISTINCT FROM coalesce(segments, '{}'::integer[])");
            if (columns.stream().anyMatch(Column::stays)) {
                sql.append(" OR (e AND matched && ").append(stays).append(") OR segments && ").append(stays);
            }
        }
        sql.append(" ORDER BY row_key");
        return sql.toString();
    }

    /** The columns by ascending segment number: the order of the read's answers and of its parameters. */
    public static List<Column> ascending(List<Column> columns) {
        return columns.stream().sorted(Comparator.comparingInt(Column::number)).toList();
    }

    /** The segments of the matched numbers read as {@code array_to_string} (null or empty: none). */
    static Set<String> matching(String numbers, Map<Integer, String> byNumber) {
        if (numbers == null || numbers.isEmpty()) {
            return Set.of();
        }
        Set<String> matching = new HashSet<>();
        for (String number : numbers.split(",")) {
            String segment = byNumber.get(Integer.parseInt(number));
            if (segment != null) {
                matching.add(segment);
            }
        }
        return matching;
    }

    /**
     * The segments among {@code segments} that are activated now, read after taking the lock
     * that orders membership writes against full sync plans ({@link LiveSegments#ACTIVATION_LOCK},
     * held shared until this transaction ends): a segment activated after this read is
     * planned in full once this transaction is over, so its staying members need no update.
     */
    private static Set<String> activatedUnderLock(Connection c, List<SegmentRule> segments) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
            ps.setLong(1, LiveSegments.ACTIVATION_LOCK);
            ps.execute();
        }
        Set<String> on = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, activation_json FROM segment "
                + "WHERE id = ANY(?::text[]) AND deleted_at IS NULL")) {
            ps.setArray(1, c.createArrayOf("text", segments.stream().map(SegmentRule::segmentId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (LiveSegments.activated(rs.getString(2))) {
                        on.add(rs.getString(1));
                    }
                }
            }
        }
        return on;
    }

    /**
     * Locks the dataset's row as its writers do, shared (another run's bulk evaluation of the
     * same dataset, a run taken for lost, may hold it too: the changes each consumes are its own);
     * false when the dataset is gone.
     */
    static boolean lockAgainstWrites(Connection c, String datasetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM dataset WHERE id = ? FOR SHARE")) {
            ps.setString(1, datasetId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether the claims are few enough, against the dataset's rows, to be looked up by key ({@link #LOOKUP_SHARE}). */
    static boolean lookedUp(Connection c, String datasetId, long claims, double share) throws SQLException {
        if (share >= 1 || share <= 0) {
            // always, or never: whatever the recorded count says
            return share >= 1;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT row_count FROM dataset WHERE id = ?")) {
            ps.setString(1, datasetId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && claims <= share * rs.getLong(1);
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
