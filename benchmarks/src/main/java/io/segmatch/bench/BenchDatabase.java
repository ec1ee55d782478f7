package io.segmatch.bench;

import io.segmatch.membership.store.ChangeChunks;
import org.postgresql.PGConnection;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's own connection to the server's database: tables vacuumed, statistics
 * brought up to date and a checkpoint taken before each measured phase (the state a real
 * database is in once autovacuum has seen a big upload and its checkpoints have passed),
 * and, with {@code --explain}, the plan of the membership run's claim.
 */
final class BenchDatabase implements AutoCloseable {

    private final Connection c;
    private final boolean explain;

    private BenchDatabase(Connection c, boolean explain) {
        this.c = c;
        this.explain = explain;
    }

    /** A connection to the database, or null when the benchmark runs against a server it cannot reach the database of. */
    static BenchDatabase open(Map<String, String> db, boolean explain) throws SQLException {
        if (db == null || db.get("url") == null) {
            System.out.println("(no database connection: statistics are left to autovacuum, no plans printed)");
            return null;
        }
        return new BenchDatabase(DriverManager.getConnection(db.get("url"), db.getOrDefault("user", "postgres"),
                db.getOrDefault("password", "")), explain);
    }

    /**
     * What autovacuum does after a big write, done now: VACUUM (ANALYZE) of the database, then a
     * wait (up to two minutes) until no autovacuum worker runs. ANALYZE alone is not enough: it
     * cancels an autovacuum worker that is vacuuming a table it needs to analyze, and that
     * vacuum (of the first upload's ten million rows, say) then starts again a minute later,
     * inside the next measured phase. Then a CHECKPOINT: a user's rows were written long before
     * they change (the embedded database checkpoints at least every 15 minutes), and the first
     * change of a page after a checkpoint logs the whole page. Without it a phase's cost
     * depended on whether the benchmark's own earlier phases happened to fill the WAL up to a
     * checkpoint (at 10M rows they do, at 1M they do not).
     */
    void settle(String phase) throws SQLException, InterruptedException {
        long t0 = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM (ANALYZE)");
        }
        double analyzed = (System.nanoTime() - t0) / 1e9;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && autovacuumWorkers() > 0) {
            Thread.sleep(500);
        }
        double idle = (System.nanoTime() - t0) / 1e9;
        String checkpoint;
        long t1 = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
            checkpoint = String.format(Locale.ROOT, "CHECKPOINT %.1f s", (System.nanoTime() - t1) / 1e9);
        } catch (SQLException e) {
            // a server the benchmark's user may not checkpoint (neither superuser nor pg_checkpoint)
            checkpoint = "no CHECKPOINT (" + e.getMessage() + ")";
        }
        double probe = probe();
        Figures.current.probe(probe);
        System.out.printf(Locale.ROOT, "statistics before %s: VACUUM (ANALYZE) %.1f s, autovacuum idle after %.1f s, %s; "
                + "machine probe %.0f ms%n", phase, analyzed, idle, checkpoint, probe);
    }

    /** The machine probe's statement: the same work on every machine, every size, every phase. */
    static final String PROBE_SQL = "SELECT count(*) FROM generate_series(1, 300000) g WHERE md5(g::text) < '8'";

    /**
     * How fast the machine is now: a fixed piece of work for PostgreSQL's processor — the MD5 of
     * 300,000 numbers, no table read or written — run three times, the middle time in
     * milliseconds. The same work in every run and before every phase, so that runs set side by
     * side ({@link Growth}) show whether the machine itself changed speed between them.
     */
    double probe() throws SQLException {
        double[] ms = new double[3];
        try (Statement st = c.createStatement()) {
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                try (ResultSet rs = st.executeQuery(PROBE_SQL)) {
                    rs.next();
                    if (rs.getLong(1) <= 0) {
                        throw new IllegalStateException("the probe counted no rows");
                    }
                }
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms[1];
    }

    /**
     * PostgreSQL's cumulative buffer I/O (pg_stat_io, PostgreSQL 16 and later), in pages: what
     * the statements' own processes read, wrote to make room or to extend, and found in the
     * pool, and what the background writer and the checkpointer wrote; null before 16. With
     * each table's pages read and found (pg_statio_all_tables: heap with TOAST, indexes), so
     * that a phase's reads can be told apart by table.
     */
    record Io(long reads, long writes, long evictions, long hits, long bgwriter, long checkpointer, long walBytes,
              long walFpi, long autovacuums, long autoanalyzes, Map<String, long[]> tables) {
        Io minus(Io o) {
            return new Io(reads - o.reads, writes - o.writes, evictions - o.evictions, hits - o.hits,
                    bgwriter - o.bgwriter, checkpointer - o.checkpointer, walBytes - o.walBytes, walFpi - o.walFpi,
                    autovacuums - o.autovacuums, autoanalyzes - o.autoanalyzes, minus(tables, o.tables));
        }

        /** Per table, these pages less those of {@code before} (a table new since then: all of them). */
        private static Map<String, long[]> minus(Map<String, long[]> now, Map<String, long[]> before) {
            Map<String, long[]> d = new HashMap<>();
            now.forEach((table, pages) -> {
                long[] then = before.getOrDefault(table, new long[pages.length]);
                long[] diff = new long[pages.length];
                for (int i = 0; i < pages.length; i++) {
                    diff[i] = pages[i] - then[i];
                }
                d.put(table, diff);
            });
            return d;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "statements' processes read %,d pages and wrote %,d (%,d evicted), %,d found "
                    + "in the pool; background writer wrote %,d, checkpointer %,d; WAL %,.0f MB (%,d full-page images); "
                    + "autovacuum finished %d vacuums and %d analyzes", reads, writes, evictions, hits, bgwriter, checkpointer,
                    walBytes / 1048576.0, walFpi, autovacuums, autoanalyzes);
        }
    }

    Io io() throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('pg_catalog.pg_stat_io') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return null;
            }
        }
        String sql = "SELECT coalesce(sum(reads) FILTER (WHERE s), 0), coalesce(sum(writes) FILTER (WHERE s), 0), "
                + "coalesce(sum(evictions) FILTER (WHERE s), 0), coalesce(sum(hits) FILTER (WHERE s), 0), "
                + "coalesce(sum(writes) FILTER (WHERE backend_type = 'background writer'), 0), "
                + "coalesce(sum(writes) FILTER (WHERE backend_type = 'checkpointer'), 0), "
                + "(SELECT wal_bytes FROM pg_stat_wal), (SELECT wal_fpi FROM pg_stat_wal), "
                + "(SELECT sum(autovacuum_count) FROM pg_stat_all_tables), "
                + "(SELECT sum(autoanalyze_count) FROM pg_stat_all_tables) FROM (SELECT *, backend_type IN "
                + "('client backend', 'background worker', 'autovacuum worker') AND object = 'relation' AS s FROM pg_stat_io) x";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new Io(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                    rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), tables());
        }
    }

    /** Prints the I/O since {@code before} (nothing when pg_stat_io is missing); returns the I/O now. */
    Io reportIo(String phase, Io before) throws SQLException {
        Io now = io();
        if (now != null && before != null) {
            Io phaseIo = now.minus(before);
            System.out.println("I/O of " + phase + ": " + phaseIo);
            StringBuilder by = new StringBuilder();
            phaseIo.tables().entrySet().stream()
                    .filter(e -> e.getValue()[0] + e.getValue()[2] >= 1000)
                    .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[2], a.getValue()[0] + a.getValue()[2]))
                    .limit(8)
                    .forEach(e -> by.append(String.format(Locale.ROOT, "  %-24s heap %,d read, %,d found; indexes %,d read, "
                            + "%,d found%n", e.getKey().startsWith("dataset_typed_") ? "dataset_typed_<id>" : e.getKey(),
                            e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3])));
            if (by.length() > 0) {
                System.out.print("  pages read by table (of 1,000 or more):\n" + by);
            }
        }
        return now;
    }

    /** Per table (with its TOAST table): heap pages read and found in the pool, its indexes' likewise. */
    private Map<String, long[]> tables() throws SQLException {
        Map<String, long[]> tables = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT relname, "
                + "coalesce(heap_blks_read, 0) + coalesce(toast_blks_read, 0), coalesce(heap_blks_hit, 0) + coalesce(toast_blks_hit, 0), "
                + "coalesce(idx_blks_read, 0) + coalesce(tidx_blks_read, 0), coalesce(idx_blks_hit, 0) + coalesce(tidx_blks_hit, 0) "
                + "FROM pg_statio_all_tables")) {
            while (rs.next()) {
                tables.merge(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]});
            }
        }
        return tables;
    }

    /**
     * How the tables a membership run reads lie on disk: for the rows, the typed rows and the
     * memberships, the heap's size, the live and dead row versions PostgreSQL counts, and the
     * correlation between the keys' order and the heap's (ANALYZE's estimate: 1 when the heap
     * is in key order, near 0 when keys lie at random). Lookups in key order read a heap in
     * key order page after page; at random, a page per row once the heap outgrows the pool.
     * Reads the statistics as they are: the caller runs ANALYZE first.
     */
    void layout(String phase) throws SQLException {
        String sql = "SELECT t.relname, pg_relation_size(t.relid), t.n_live_tup, t.n_dead_tup, s.correlation "
                + "FROM pg_stat_user_tables t LEFT JOIN pg_stats s ON s.schemaname = t.schemaname "
                + "AND s.tablename = t.relname AND s.attname = 'row_key' "
                + "WHERE t.relname IN ('dataset_row', 'row_membership') OR t.relname LIKE 'dataset_typed_%' ORDER BY 1";
        StringBuilder out = new StringBuilder("layout " + phase + ":\n");
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.append(String.format(Locale.ROOT, "  %-24s heap %,7.0f MB, %,d live and %,d dead row versions, "
                        + "key order to heap order %s%n", rs.getString(1).startsWith("dataset_typed_") ? "dataset_typed_<id>"
                        : rs.getString(1), rs.getLong(2) / 1048576.0, rs.getLong(3), rs.getLong(4),
                        rs.getObject(5) == null ? "unknown" : String.format(Locale.ROOT, "%.3f", rs.getDouble(5))));
            }
        }
        System.out.print(out);
    }

    private int autovacuumWorkers() throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * With {@code --explain}: the plan of a chunk's claim from the start of the dataset, run
     * (EXPLAIN ANALYZE, BUFFERS) in a transaction that is rolled back.
     */
    void explainClaim(String datasetId, int chunk) throws SQLException {
        if (!explain) {
            return;
        }
        c.setAutoCommit(false);
        try (var ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + ChangeChunks.claimSql(true))) {
            ps.setString(1, datasetId);
            ps.setString(2, "");
            ps.setInt(3, chunk);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append("  ").append(rs.getString(1)).append('\n');
                }
            }
            System.out.print("plan of the claim of " + chunk + " changed rows:\n" + plan);
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /**
     * The reference for the upload: what PostgreSQL alone needs for the same rows on this
     * machine now. COPY of the CSV file (sent by this client, as the server receives an
     * upload) into a table of its columns, then the rows in the shape Segmatch stores them
     * (a jsonb object of the non-empty values per row, keyed by dataset and key compared
     * byte by byte, with that primary key). Both tables are dropped afterwards. Returns seconds.
     */
    double referenceLoad(Path csv) throws Exception {
        List<String> columns;
        try (var lines = Files.lines(csv)) {
            columns = List.of(lines.findFirst().orElseThrow().split(","));
        }
        StringBuilder create = new StringBuilder("CREATE TABLE bench_reference_csv (");
        StringBuilder object = new StringBuilder("jsonb_strip_nulls(jsonb_build_object(");
        for (int i = 0; i < columns.size(); i++) {
            create.append(i == 0 ? "" : ", ").append('"').append(columns.get(i)).append("\" text");
            object.append(i == 0 ? "" : ", ").append("'").append(columns.get(i)).append("', nullif(\"")
                    .append(columns.get(i)).append("\", '')");
        }
        long t0 = System.nanoTime();
        try (var st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS bench_reference_csv, bench_reference_rows");
            st.execute(create.append(')').toString());
            try (var in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY bench_reference_csv FROM STDIN (FORMAT csv, HEADER true)", in, 1 << 16);
            }
            st.execute("CREATE TABLE bench_reference_rows AS SELECT 'bench'::varchar(36) COLLATE \"C\" AS dataset_id, \""
                    + columns.get(0) + "\" COLLATE \"C\" AS row_key, " + object + ")) AS data FROM bench_reference_csv");
            st.execute("ALTER TABLE bench_reference_rows ADD PRIMARY KEY (dataset_id, row_key)");
            double seconds = (System.nanoTime() - t0) / 1e9;
            st.execute("DROP TABLE bench_reference_csv, bench_reference_rows");
            return seconds;
        }
    }

    /**
     * What the data takes on disk (tables with their indexes and TOAST), per table and per
     * row of the dataset, largest first: rows, typed rows, pending changes, memberships, the
     * change log, the activation state.
     */
    void diskReport(long rows) throws SQLException {
        String sql = "SELECT CASE WHEN c.relname LIKE 'dataset_typed_%' THEN 'dataset_typed_<id>' ELSE c.relname END, "
                + "sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = 'public' AND c.relkind = 'r' GROUP BY 1 ORDER BY 2 DESC";
        long total = 0;
        StringBuilder out = new StringBuilder();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                long bytes = rs.getLong(2);
                total += bytes;
                if (bytes >= 1 << 20) {
                    out.append(String.format(Locale.ROOT, "  %-24s %,8.0f MB  %,6.0f bytes/row%n", rs.getString(1),
                            bytes / 1048576.0, (double) bytes / rows));
                }
            }
        }
        Figures.current.put("disk-per-row", (double) total / rows);
        System.out.printf(Locale.ROOT, "disk: %,.0f MB in all, %,.0f bytes per dataset row (tables with indexes; "
                + "those of 1 MB or more:)%n%s", total / 1048576.0, (double) total / rows, out);
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
