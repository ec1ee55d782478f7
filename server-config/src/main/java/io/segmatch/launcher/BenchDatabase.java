package io.segmatch.launcher;

import io.segmatch.membership.store.ChangeChunks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's own connection to the server's database: statistics brought up to date
 * before each measured phase (the state a real database is in once autovacuum has seen a big
 * upload), and, with {@code --explain}, the plan of the membership run's claim.
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

    /** ANALYZE, then wait (up to two minutes) until no autovacuum worker runs. */
    void analyze(String phase) throws SQLException, InterruptedException {
        long t0 = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        }
        double analyzed = (System.nanoTime() - t0) / 1e9;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && autovacuumWorkers() > 0) {
            Thread.sleep(500);
        }
        System.out.printf(Locale.ROOT, "statistics before %s: ANALYZE %.1f s, autovacuum idle after %.1f s%n", phase, analyzed,
                (System.nanoTime() - t0) / 1e9);
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

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
