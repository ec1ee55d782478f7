package io.segmatch.membership;

import io.segmatch.activation.store.ActivationSets;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.JobSettlement;
import io.segmatch.activation.store.SyncJobs;
import io.segmatch.activation.store.PlanStatements;
import io.segmatch.datasets.store.PendingChanges;
import io.segmatch.membership.store.BulkChanges;
import io.segmatch.membership.store.ChangeChunks;
import io.segmatch.membership.store.RebuildMoves;
import io.segmatch.membership.store.RowMemberships;
import io.segmatch.segments.evaluation.RuleSql;
import io.segmatch.testing.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plans of the membership run's hot statements do not depend on the database's state:
 * after ANALYZE, with one dataset (whose id statistics then say "one distinct value") or several,
 * with custom or generic plans, each touches a bounded number of buffers per claimed row. A
 * structural bound, not a time: the collapse this guards against read two thousand buffers per
 * row (a nested loop that used the chunk's position as its index condition and the key only as
 * a filter).
 */
class ClaimPlanIT {

    /** Buffers (shared hits and reads) a statement may touch per row it handles. */
    static final double MAX_BUFFERS_PER_ROW = 20;
    static final int CHUNK = 1000;

    @Test
    void oneBigDatasetAfterAnalyze() throws Exception {
        DataSource db = TestDatabase.newDatabase("claimplan1");
        try (Connection c = db.getConnection()) {
            fill(c, List.of("d1"), 150_000);
            checkEveryPlan(c, "d1");
        }
    }

    @Test
    void severalDatasetsAfterAnalyze() throws Exception {
        DataSource db = TestDatabase.newDatabase("claimplan5");
        try (Connection c = db.getConnection()) {
            fill(c, List.of("d1", "d2", "d3", "d4", "d5"), 30_000);
            checkEveryPlan(c, "d3");
        }
    }

    /**
     * The reads that pass over a whole dataset for a part of it — a rebuild's moves, the full
     * sync plan of a segment under half its dataset — are each one statement filling a table,
     * which PostgreSQL may hand to parallel workers (a read through a cursor never is), and find
     * exactly the rows they are for. The tables here are smaller than the size from which
     * PostgreSQL considers workers, so that size is lowered.
     */
    @Test
    void bigReadsRunWithParallelWorkers() throws Exception {
        DataSource db = TestDatabase.newDatabase("claimplanparallel");
        try (Connection c = db.getConnection()) {
            fill(c, List.of("d1"), 150_000);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE typed_probe AS SELECT row_key, data->>'country' AS country FROM dataset_row "
                        + "WHERE dataset_id = 'd1'");
                st.execute("ALTER TABLE typed_probe ADD PRIMARY KEY (row_key)");
                st.execute("ANALYZE typed_probe");
            }
            List<RuleSql.Predicate> country = List.of(new RuleSql.Predicate("t.country = ?", List.of("DE")));

            // the rows that move: in DE and not a member of segment 1, or a member outside DE
            filled(c, "rebuild's moves", RebuildMoves.movesTableSql("typed_probe", country, new int[] {1}, false),
                    List.of("DE", "d1", "DE"),
                    "SELECT count(*) FILTER (WHERE p0), count(*) FILTER (WHERE NOT p0) FROM " + RebuildMoves.TABLE,
                    List.of(25_000L, 50_000L));
            // segment 1's members (every other row) looked up, and what was acknowledged of them
            filled(c, "full sync plan", "CREATE TEMP TABLE plan_probe AS " + PlanStatements.planSql(1, Destination.GOOGLE_ADS),
                    List.of("email", "d1", "d1", 1, false, set(c, "s1"), "s1"),
                    "SELECT count(*) FILTER (WHERE member), count(identifiers) FROM plan_probe", List.of(75_000L, 37_350L));
        }
    }

    /**
     * A first build's moves, read through a cursor, come in key order by a merge join of the two
     * key indexes, even where a hash join would have split both sides into batches (its memory
     * kept small here, as ten million memberships overflow it) and returned them batch by batch.
     */
    @Test
    void firstBuildReadsItsMovesInKeyOrder() throws Exception {
        DataSource db = TestDatabase.newDatabase("claimplankeyorder");
        try (Connection c = db.getConnection()) {
            fill(c, List.of("d1"), 150_000);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE typed_probe AS SELECT row_key, data->>'country' AS country FROM dataset_row "
                        + "WHERE dataset_id = 'd1' ORDER BY md5(row_key)");
                st.execute("ALTER TABLE typed_probe ADD PRIMARY KEY (row_key)");
                st.execute("ANALYZE typed_probe");
            }
            List<RuleSql.Predicate> country = List.of(new RuleSql.Predicate("t.country = ?", List.of("DE")));
            StringBuilder bound = new StringBuilder();
            List<Object> params = List.of("DE", "d1", "DE");
            int n = 0;
            for (char ch : RebuildMoves.movesSql("typed_probe", country, new int[] {1}, false).toCharArray()) {
                bound.append(ch == '?' ? literal(params.get(n++)) : String.valueOf(ch));
            }
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL work_mem = '1MB'");
                for (String method : RebuildMoves.KEY_ORDER_PLAN) {
                    st.execute("SET LOCAL enable_" + method + " = off");
                }
                String shape = plan(c, "EXPLAIN (FORMAT JSON) " + bound).toString();
                assertTrue(shape.contains("\"Node Type\":\"Merge Join\",") && shape.contains("\"Join Type\":\"Full\"")
                                && !shape.contains("\"Hash") && !shape.contains("\"Sort"),
                        "not a merge join of the key indexes: " + shape);
                // in DE and not a member of segment 1, or a member outside DE; every one after the one before
                assertEquals(List.of(75_000L, 0L), keyOrder(st, bound.toString()));
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * The joined form of a full sync plan (a segment of half or more of its dataset) comes in key
     * order, by merge joins of the memberships, the rows and the acknowledged people through
     * their key indexes, where hash joins (memory kept small, as ten million members overflow
     * it) would have returned the people batch by batch: the job's positions, and so the order
     * the acknowledgement records them in, follow the plan's order.
     */
    @Test
    void joinedSyncPlanReadsInKeyOrder() throws Exception {
        DataSource db = TestDatabase.newDatabase("claimplanjoined");
        try (Connection c = db.getConnection()) {
            fill(c, List.of("d1"), 150_000);
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // acknowledged people who are no longer members: the full join returns them too
                st.execute("INSERT INTO activation_member (set_id, row_key, list_id, identifiers, added_at) SELECT "
                        + set(c, "s1") + ", lpad(i::text, 8, '0'), " + list(c) + ", '{}', now() FROM generate_series(1, 150000) i "
                        + "WHERE i % 2 = 1 AND i % 7 = 0");
                st.execute("ANALYZE activation_member");
                long expected;
                try (var rs = st.executeQuery("SELECT count(*) FROM (SELECT row_key FROM row_membership WHERE "
                        + "dataset = (SELECT number FROM dataset WHERE id = 'd1') AND segments @> ARRAY[1] UNION "
                        + "SELECT row_key FROM activation_member WHERE set_id = " + set(c, "s1") + ") u")) {
                    rs.next();
                    expected = rs.getLong(1);
                }
                StringBuilder bound = new StringBuilder();
                List<Object> params = List.of("email", "d1", "d1", 1, "false", set(c, "s1"), "s1");
                int n = 0;
                for (char ch : PlanStatements.planSql(1, Destination.GOOGLE_ADS, true).toCharArray()) {
                    bound.append(ch == '?' ? literal(params.get(n++)) : String.valueOf(ch));
                }
                st.execute("SET LOCAL work_mem = '1MB'");
                for (String method : PlanStatements.JOINED_PLAN) {
                    st.execute("SET LOCAL enable_" + method + " = off");
                }
                JsonObject shape = plan(c, "EXPLAIN (FORMAT JSON) " + bound);
                List<String> nodes = new ArrayList<>();
                nodes(shape, nodes);
                assertTrue(nodes.contains("Merge Join Full") && nodes.contains("Merge Join Inner")
                                && nodes.stream().noneMatch(x -> x.startsWith("Hash") || x.startsWith("Sort")),
                        "not merge joins of the key indexes: " + nodes + " in " + shape);
                assertEquals(List.of(expected, 0L), keyOrder(st, bound.toString()));
                assertTrue(expected > 75_000, "acknowledged non-members: " + expected);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    /** Every node of a plan: its type, and a join's type after it. */
    private static void nodes(JsonObject plan, List<String> into) {
        into.add(plan.getString("Node Type") + (plan.containsKey("Join Type") ? " " + plan.getString("Join Type") : ""));
        if (plan.containsKey("Plans")) {
            for (JsonValue child : plan.getJsonArray("Plans")) {
                nodes(child.asJsonObject(), into);
            }
        }
    }

    /** The rows a statement returns, and how many of them did not come after the one before in byte order. */
    private static List<Long> keyOrder(Statement st, String sql) throws SQLException {
        long rows = 0;
        long out = 0;
        String last = null;
        try (var rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows++;
                String key = rs.getString(1);
                if (last != null && compareBytes(key, last) <= 0) {
                    out++;
                }
                last = key;
            }
        }
        return List.of(rows, out);
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static JsonObject plan(Connection c, String explain) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery(explain)) {
            rs.next();
            return Json.createReader(new StringReader(rs.getString(1))).readArray().getJsonObject(0).getJsonObject("Plan");
        }
    }

    /**
     * Runs a statement that fills a table under EXPLAIN ANALYZE in a transaction rolled back
     * afterwards, asserts that parallel workers ran it, then that {@code check} over the table it
     * filled gives {@code expected}.
     */
    private static void filled(Connection c, String what, String sql, List<Object> params, String check,
                               List<Long> expected) throws SQLException {
        StringBuilder bound = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            bound.append(ch == '?' ? literal(params.get(n++)) : String.valueOf(ch));
        }
        assertEquals(params.size(), n, what + ": parameters");
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL min_parallel_table_scan_size = 0");
            st.execute("SET LOCAL parallel_setup_cost = 0");
            st.execute("SET LOCAL parallel_tuple_cost = 0");
            JsonObject plan = plan(c, "EXPLAIN (ANALYZE, FORMAT JSON) " + bound);
            assertTrue(workersLaunched(plan) > 0, what + ": no parallel worker ran it: " + plan);
            try (var result = st.executeQuery(check)) {
                result.next();
                List<Long> found = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    found.add(result.getLong(i + 1));
                }
                assertEquals(expected, found, what);
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static long workersLaunched(JsonObject plan) {
        long workers = plan.containsKey("Workers Launched") ? plan.getJsonNumber("Workers Launched").longValue() : 0;
        if (plan.containsKey("Plans")) {
            for (JsonValue child : plan.getJsonArray("Plans")) {
                workers += workersLaunched(child.asJsonObject());
            }
        }
        return workers;
    }

    private static void checkEveryPlan(Connection c, String dataset) throws SQLException {
        String middle = middleKey(c, dataset);
        for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
            List<String> failures = new ArrayList<>();
            // the first chunk of a run, and a chunk from the middle of a dataset
            check(c, mode, "claim from the start", ChangeChunks.claimSql(false), List.of(CHUNK), failures);
            check(c, mode, "claim after " + dataset + "/" + middle, ChangeChunks.claimSql(true), List.of(dataset, middle, CHUNK),
                    failures);
            // applying a chunk: memberships written and deleted by key, changes consumed
            List<String> keys = keysAfter(c, dataset, middle);
            checkWithout(c, List.of("hashjoin", "mergejoin"), mode, "membership update", RowMemberships.UPDATE_SQL,
                    List.of(keys, repeat("{1,2}", keys.size()), repeat("{1,1}", keys.size()), dataset), failures);
            check(c, mode, "membership delete", RowMemberships.DELETE_SQL, List.of(dataset, keys), failures);
            check(c, mode, "consume", ChangeChunks.CONSUME_SQL, List.of(dataset, keys, keys, keys, seqs(c, dataset, keys)),
                    failures);
            // a sync's plan: a big segment (half the rows, half of them acknowledged) and a small one
            check(c, mode, "sync plan of a big segment", PlanStatements.planSql(1, Destination.GOOGLE_ADS),
                    List.of("email", dataset, dataset, 1, "false", set(c, "s1"), "s1"),
                    failures);
            // the same as a join of sets, as a segment holding half or more of its dataset is planned (merge joins)
            checkWithout(c, PlanStatements.JOINED_PLAN, mode, "sync plan of a big segment, as a join",
                    PlanStatements.planSql(1, Destination.GOOGLE_ADS, true), List.of("email", dataset, dataset, 1, "false", set(c, "s1"), "s1"), failures);
            // and as a segment without refused people is planned (no refusal looked up)
            checkWithout(c, PlanStatements.JOINED_PLAN, mode, "sync plan of a big segment, as a join, nobody refused",
                    PlanStatements.planSql(1, Destination.GOOGLE_ADS, true, false), List.of("email", dataset, dataset, 1, "false", set(c, "s1")),
                    failures);
            if (mode.equals("force_custom_plan")) {
                // (the plan's transaction forces custom plans: generic ones scan every segment's acknowledged people)
                check(c, mode, "sync plan of a small segment", PlanStatements.planSql(1, Destination.GOOGLE_ADS),
                        List.of("email", dataset, dataset, 2, "false", set(c, "s2"), "s2"), failures);
            }
            // a plan of changes: a thousand queued keys (half of them members), each looked up by key
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS plan_keys");
                st.execute("CREATE TEMP TABLE plan_keys (row_key text PRIMARY KEY)");
                // in no key order, as the queue's DISTINCT leaves them
                List<String> shuffled = new ArrayList<>(keys);
                Collections.shuffle(shuffled, new Random(13));
                st.execute("INSERT INTO plan_keys SELECT unnest(" + literal(shuffled) + "::text[])");
            }
            check(c, mode, "sync plan of changes", PlanStatements.changesSql(1, Destination.GOOGLE_ADS),
                    List.of("s1", "email", dataset, 1, "false", dataset, set(c, "s1")), failures);
            check(c, mode, "sync plan of changes, nobody refused", PlanStatements.changesSql(1, Destination.GOOGLE_ADS, false),
                    List.of("email", dataset, 1, "false", dataset, set(c, "s1")), failures);
            // looked up in key order: each table passed through once, not read at random
            List<String> returned = changesPlanKeys(c, dataset);
            assertTrue(returned.equals(keys.stream().sorted().toList()),
                    () -> "the changes plan's keys, in key order; the first returned: " + returned.subList(0, Math.min(5, returned.size())));
            // run once a set's bound says some may be due: the set's people, read through its key (none of another set's)
            check(c, mode, "members due to be added again", PlanStatements.READD_SQL,
                    List.of(set(c, "s1"), "2100-01-01T00:00:00Z"), failures);
            // the next batch of a big job, half of whose people were sent
            check(c, mode, "unsent people of a job", SyncJobs.UNSENT_SQL, List.of(1, rows(c, dataset) / 4, 1, 10_000),
                    failures);
            // the same after a segment's first big sync, which the statistics have not seen yet
            check(c, mode, "sync plan of changes, statistics older than the members", PlanStatements.changesSql(1, Destination.GOOGLE_ADS),
                    List.of("s3", "email", dataset, 1, "false", dataset, set(c, "s3")), failures);
            // a remove job's acknowledgement: a thousand people out of the acknowledged set by key
            check(c, mode, "people removed from the acknowledged set, statistics older than the members",
                    JobSettlement.UNACKNOWLEDGE_SQL, List.of(keys, set(c, "s3"), list(c)), failures);
            check(c, mode, "members due to be added again, statistics older than the members", PlanStatements.READD_SQL,
                    List.of(set(c, "s3"), "2100-01-01T00:00:00Z"), failures);
            check(c, mode, "unsent people of a job the statistics have not seen", SyncJobs.UNSENT_SQL,
                    List.of(2, rows(c, dataset) / 4, 2, 10_000), failures);
            // a bulk read of claims of a big dataset, as their lookups in key order (hash and merge joins off, as
            // BulkChanges plans it for claims of at most a fifth of the rows)
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS typed_probe");
                st.execute("CREATE TABLE typed_probe AS SELECT row_key, data->>'country' AS country FROM dataset_row "
                        + "WHERE dataset_id = '" + dataset + "'");
                st.execute("ALTER TABLE typed_probe ADD PRIMARY KEY (row_key)");
                st.execute("ANALYZE typed_probe");
                st.execute("DROP TABLE IF EXISTS bulk_claim");
                st.execute("CREATE TEMP TABLE " + BulkChanges.CLAIM_TABLE);
                st.execute("INSERT INTO bulk_claim SELECT unnest(" + literal(keys) + "::text[]), 1");
                st.execute("ANALYZE bulk_claim");
            }
            // every claimed row comes back (a rule each row meets, in a segment whose staying members are returned):
            // the bound is per claimed row
            BulkChanges.Column everyRow = new BulkChanges.Column(new RuleSql.Predicate("t.row_key IS NOT NULL", List.of()), 1, true);
            checkWithout(c, List.of("hashjoin", "mergejoin"), mode, "bulk read of a chunk of claims, looked up in key order",
                    BulkChanges.readSql("typed_probe", List.of(everyRow), true), List.of(dataset), failures);
            // recording a small job's outcome: its people read through the job's key (sequential scans off, as
            // SyncJobs runs it) or the refusals' index, not by a pass over every job's people
            check(c, mode, "refusal codes of a small job", JobSettlement.REFUSAL_CODES_SQL, List.of(3), failures);
            check(c, mode, "refusals of a small job recorded", JobSettlement.REFUSED_SQL,
                    List.of("s4", "2026-01-01T00:00:00Z", "google-ads", 3), failures);
            check(c, mode, "refused people of a small job queued again", SyncJobs.requeueSql(true),
                    List.of("s4", "google-ads", List.of(3)), failures);
            checkWithout(c, List.of("seqscan"), mode, "acknowledgement of a small job", JobSettlement.ACKNOWLEDGE_SQL,
                    List.of(set(c, "s4"), list(c), "2026-01-01T00:00:00Z", 3, 3), failures);
            checkWithout(c, List.of("seqscan"), mode, "first acknowledgement of a segment", JobSettlement.FIRST_ACKNOWLEDGE_SQL,
                    List.of(set(c, "s4") + 5, list(c), "2026-01-01T00:00:00Z", 3, 3), failures);
            checkWithout(c, List.of("seqscan"), mode, "a small job queued again", SyncJobs.requeueSql(false),
                    List.of("s4", "google-ads", List.of(3)), failures);
            // a run's first look at the changes: the datasets that have any, and whether one has enough for a bulk
            // evaluation, each a descent of the changes' key index and a few entries, never a pass over every change
            check(c, mode, "datasets with pending changes", PendingChanges.DATASETS_SQL, List.of(), failures);
            checkWithout(c, List.of("seqscan", "bitmapscan"), mode, "a dataset's changes counted up to a bound",
                    PendingChanges.AT_LEAST_SQL, List.of(dataset, 5), failures);
            assertEquals(List.of(), failures, mode);
        }
    }

    /** {@link #check} with some of the planner's methods off, as the application plans that statement. */
    private static void checkWithout(Connection c, List<String> methods, String mode, String what, String sql,
                                     List<Object> params, List<String> failures) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String method : methods) {
                st.execute("SET enable_" + method + " = off");
            }
        }
        try {
            check(c, mode, what, sql, params, failures);
        } finally {
            try (Statement st = c.createStatement()) {
                for (String method : methods) {
                    st.execute("RESET enable_" + method);
                }
            }
        }
    }

    /**
     * Runs a statement under EXPLAIN (ANALYZE, BUFFERS) in a transaction that is rolled back,
     * as a prepared statement whose plan is custom or generic, and checks its buffers per row.
     */
    private static void check(Connection c, String mode, String what, String sql, List<Object> params, List<String> failures)
            throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET plan_cache_mode = " + mode);
            StringBuilder numbered = new StringBuilder();
            int n = 0;
            for (char ch : sql.toCharArray()) {
                numbered.append(ch == '?' ? "$" + (++n) : String.valueOf(ch));
            }
            assertEquals(params.size(), n, what + ": parameters");
            st.execute("PREPARE hot AS " + numbered);
            StringBuilder args = new StringBuilder();
            for (Object p : params) {
                args.append(args.length() == 0 ? "" : ", ").append(literal(p));
            }
            String execute = args.length() == 0 ? "EXECUTE hot" : "EXECUTE hot(" + args + ")";
            // five executions first: after them PostgreSQL may switch a prepared statement to its generic plan
            for (int i = 0; i < 5; i++) {
                st.execute("SAVEPOINT s");
                st.execute(execute);
                st.execute("ROLLBACK TO SAVEPOINT s");
            }
            JsonObject plan = plan(c, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + execute);
            long buffers = plan.getJsonNumber("Shared Hit Blocks").longValue() + plan.getJsonNumber("Shared Read Blocks").longValue();
            long rows = Math.max(1, rowsHandled(plan));
            double perRow = (double) buffers / rows;
            if (perRow > MAX_BUFFERS_PER_ROW) {
                failures.add(what + " (" + mode + "): " + buffers + " buffers for " + rows + " rows = " + perRow
                        + " per row; plan: " + plan);
            }
            st.execute("DEALLOCATE hot");
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /** Rows the statement returned, or (for writes, which return none) the rows its scan fed. */
    private static long rowsHandled(JsonObject plan) {
        long rows = plan.getJsonNumber("Actual Rows").longValue();
        if (rows > 0 || !plan.containsKey("Plans")) {
            return rows;
        }
        long max = 0;
        for (JsonValue child : plan.getJsonArray("Plans")) {
            max = Math.max(max, rowsHandled(child.asJsonObject()));
        }
        return max;
    }

    private static String literal(Object p) {
        if (p instanceof Number n) {
            return n.toString();
        }
        if (p instanceof List<?> list) {
            StringBuilder b = new StringBuilder("ARRAY[");
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "" : ",").append(literal(list.get(i)));
            }
            return b.append("]").toString();
        }
        return "'" + p.toString().replace("'", "''") + "'";
    }

    private static List<String> repeat(String value, int n) {
        return Collections.nCopies(n, value);
    }

    /**
     * Datasets of {@code rows} rows each, one in three changed (pending) and one in two in a
     * segment, then ANALYZE — the state autovacuum leaves a minute after a big upload.
     */
    private static void fill(Connection c, List<String> datasets, int rows) throws SQLException {
        try (Statement st = c.createStatement()) {
            // the acknowledged sets of segments s1 to s4 at Google, numbered in that order, and their list
            st.execute("INSERT INTO activation_set (segment_id, destination) VALUES ('s1', 'google-ads'), "
                    + "('s2', 'google-ads'), ('s3', 'google-ads'), ('s4', 'google-ads') ON CONFLICT DO NOTHING");
            st.execute("INSERT INTO activation_list (user_list) VALUES ('list') ON CONFLICT DO NOTHING");
            for (String d : datasets) {
                st.execute("INSERT INTO dataset (id, name, key_column, row_count, created_at, updated_at) VALUES ('" + d
                        + "', '" + d + "', 'id', " + rows + ", now(), now())");
                st.execute("INSERT INTO dataset_row (dataset_id, row_key, data) SELECT '" + d + "', lpad(i::text, 8, '0'), "
                        + "jsonb_build_object('id', i::text, 'email', 'person' || i || '@example.com', 'country', "
                        + "(ARRAY['DE','AT','FR'])[1 + i % 3], 'ltv', (i % 1000)::text) FROM generate_series(1, " + rows + ") i");
                st.execute("INSERT INTO pending_change (dataset_id, row_key) SELECT '" + d + "', lpad(i::text, 8, '0') "
                        + "FROM generate_series(1, " + rows + ") i WHERE i % 3 = 0");
                st.execute("INSERT INTO row_membership (dataset, row_key, segments, since) SELECT (SELECT number "
                        + "FROM dataset WHERE id = '" + d + "'), lpad(i::text, 8, '0'), "
                        + "CASE WHEN i % 1000 = 0 THEN '{1,2}'::integer[] ELSE '{1}' END, "
                        + "CASE WHEN i % 1000 = 0 THEN '{0,0}'::bigint[] ELSE '{0}' END FROM generate_series(1, " + rows
                        + ") i WHERE i % 2 = 0");
                st.execute("INSERT INTO activation_member (set_id, row_key, list_id, identifiers, added_at) SELECT "
                        + "CASE WHEN i % 1000 = 0 THEN " + set(c, "s2") + " ELSE " + set(c, "s1") + " END, "
                        + "lpad(i::text, 8, '0'), " + list(c) + ", "
                        + "convert_to('{\"email\":\"' || md5(i::text) || '\"}', 'UTF8'), now() FROM generate_series(1, " + rows + ") i WHERE i % 4 = 0"
                        + " ON CONFLICT DO NOTHING");
                // a job of every member, the first half sent
                st.execute("INSERT INTO sync_job_item (job_id, row_key, identifiers, position, sent) SELECT "
                        + "1, '" + d + "' || lpad(i::text, 8, '0'), '{}', " + datasets.indexOf(d) * rows + " + i / 2, "
                        + "i <= " + rows + " / 2 "
                        + "FROM generate_series(1, " + rows + ") i WHERE i % 2 = 0 ON CONFLICT DO NOTHING");
            }
            // and a small job 3 of 50 people beside the big ones, 5 of them refused (two codes)
            st.execute("INSERT INTO sync_job (id, sync_run_id, segment_id, user_list, kind, status, created_at, updated_at, "
                    + "sent_through) VALUES (3, 1, 's4', 'list', 'add', 'running', now(), now(), 49)");
            st.execute("INSERT INTO sync_job_item (job_id, row_key, identifiers, position, rejected_code) SELECT 3, "
                    + "lpad(i::text, 8, '0'), '{}', i, CASE WHEN i % 10 = 0 THEN 'CODE_' || (i % 20) END "
                    + "FROM generate_series(0, 49) i");
            st.execute("ANALYZE");
            // then a first sync of every row's member to segment s3, as a job 2: not analyzed yet
            for (String d : datasets) {
                st.execute("INSERT INTO activation_member (set_id, row_key, list_id, identifiers, added_at) SELECT "
                        + set(c, "s3") + ", lpad(i::text, 8, '0'), " + list(c) + ", convert_to('{\"email\":\"' || md5(i::text) || '\"}', 'UTF8'), now() "
                        + "FROM generate_series(1, " + rows + ") i ON CONFLICT DO NOTHING");
                st.execute("INSERT INTO sync_job_item (job_id, row_key, identifiers, position) SELECT "
                        + "2, '" + d + "' || lpad(i::text, 8, '0'), '{}', " + datasets.indexOf(d) * rows + " + i "
                        + "FROM generate_series(1, " + rows + ") i");
            }
        }
    }

    /** The number of a segment's acknowledged set at Google. */
    private static int set(Connection c, String segment) throws SQLException {
        int id = ActivationSets.id(c, segment, Destination.GOOGLE_ADS);
        assertTrue(id != ActivationSets.NONE, segment);
        return id;
    }

    /** The number of the list 'list'. */
    private static int list(Connection c) throws SQLException {
        return ActivationSets.listId(c, "list");
    }

    private static long rows(Connection c, String dataset) throws SQLException {
        try (var ps = c.prepareStatement("SELECT row_count FROM dataset WHERE id = ?")) {
            ps.setString(1, dataset);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String middleKey(Connection c, String dataset) throws SQLException {
        try (var ps = c.prepareStatement("SELECT row_key FROM pending_change WHERE dataset_id = ? ORDER BY row_key "
                + "OFFSET (SELECT count(*) / 2 FROM pending_change WHERE dataset_id = ?) LIMIT 1")) {
            ps.setString(1, dataset);
            ps.setString(2, dataset);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    /** The keys {@link PlanStatements#changesSql} returns for segment s1, in the order it returns them. */
    private static List<String> changesPlanKeys(Connection c, String dataset) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(PlanStatements.changesSql(1, Destination.GOOGLE_ADS))) {
            int p = 1;
            for (Object value : List.of("s1", "email", dataset, 1, false, dataset, set(c, "s1"))) {
                ps.setObject(p++, value);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    private static List<String> keysAfter(Connection c, String dataset, String after) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT row_key FROM pending_change WHERE dataset_id = ? AND row_key > ? "
                + "ORDER BY row_key LIMIT " + CHUNK)) {
            ps.setString(1, dataset);
            ps.setString(2, after);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        assertEquals(CHUNK, keys.size());
        return keys;
    }

    private static List<Object> seqs(Connection c, String dataset, List<String> keys) throws SQLException {
        List<Object> seqs = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT seq FROM pending_change WHERE dataset_id = ? AND row_key = ANY(?) ORDER BY row_key")) {
            ps.setString(1, dataset);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
        }
        return seqs;
    }
}
