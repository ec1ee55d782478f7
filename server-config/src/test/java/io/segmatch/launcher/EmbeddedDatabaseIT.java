package io.segmatch.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's own PostgreSQL: leftovers, crashes, restarts, and durable commits. */
class EmbeddedDatabaseIT {

    private Path dir;
    private EmbeddedDatabase db;

    @BeforeEach
    void directory() throws IOException {
        dir = Files.createTempDirectory(Path.of("target"), "embedded-db-").toAbsolutePath();
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (db != null) {
            db.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Map<String, String> config() {
        return Map.of("listen_addresses", "127.0.0.1", "fsync", "on", "synchronous_commit", "on");
    }

    private Connection connect(int port) throws SQLException {
        String password = Files.exists(dir.resolve("data/db-password")) ? read(dir.resolve("data/db-password")) : "pw";
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long rows(int port) throws SQLException {
        try (Connection c = connect(port); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every setting the launcher gives the embedded database is the running server's, as written. */
    @Test
    void theLaunchersSettingsAreTheRunningServers() throws Exception {
        Map<String, String> settings = LocalServer.databaseSettings("128MB", 1);
        db = EmbeddedDatabase.start(dir.resolve("postgres"), LocalServer.freePort(), settings, "pw");
        try (Connection c = connect(db.port()); var ps = c.prepareStatement("SELECT current_setting(?)")) {
            for (var setting : settings.entrySet()) {
                if (setting.getKey().equals("timezone")) {
                    continue; // a session's, which the JDBC driver sets to the JVM's own time zone
                }
                ps.setString(1, setting.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(setting.getValue(), rs.getString(1), setting.getKey());
                }
            }
        }
    }

    @Test
    void aPostmasterKilledWithSigkillIsRecoveredAndEveryCommitSurvives() throws Exception {
        db = EmbeddedDatabase.start(dir.resolve("postgres"), LocalServer.freePort(), config(), "pw");
        try (Connection c = connect(db.port()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int PRIMARY KEY)");
            // committed one by one, each acknowledged before the kill
            for (int i = 0; i < 200; i++) {
                st.execute("INSERT INTO t VALUES (" + i + ")");
            }
        }
        long before = db.postmasterPid().orElseThrow();
        assertTrue(Processes.kill9(before));

        // the launcher's watchdog starts it again, through crash recovery, on the same port
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> rows(db.port()) == 200);
        assertNotEquals(before, db.postmasterPid().orElseThrow(), "a new postmaster");
        assertTrue(Files.readString(dir.resolve("postgres.log")).contains("database system was interrupted"),
                "PostgreSQL recovered from the crash");
    }

    /**
     * A crash right after unlogged tables were created and dropped (what every upload does with
     * its staging tables) can stop PostgreSQL's crash recovery at its very end ("could not create
     * file …: File exists"); the launcher starts it again, and the second start opens.
     */
    @Test
    void aCrashAmongUnloggedTablesIsRecoveredToo() throws Exception {
        db = EmbeddedDatabase.start(dir.resolve("postgres"), LocalServer.freePort(), config(), "pw");
        try (Connection c = connect(db.port()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int PRIMARY KEY)");
            st.execute("INSERT INTO t SELECT generate_series(1, 200)");
            st.execute("CHECKPOINT");
            for (int i = 0; i < 100; i++) {
                st.execute("CREATE UNLOGGED TABLE stage_" + i + " (a int)");
                st.execute("INSERT INTO stage_" + i + " VALUES (1)");
                st.execute("DROP TABLE stage_" + i);
            }
            st.execute("CREATE UNLOGGED TABLE kept (a int)");
        }
        long before = db.postmasterPid().orElseThrow();
        assertTrue(Processes.kill9(before));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> rows(db.port()) == 200);
        try (Connection c = connect(db.port()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM kept")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "an unlogged table is empty after a crash, and there");
        }
    }

    @Test
    void aPostgresLeftRunningOnTheDataDirectoryIsStoppedCleanlyFirst() throws Exception {
        Path pgData = dir.resolve("postgres");
        int port = LocalServer.freePort();
        db = EmbeddedDatabase.start(pgData, port, config(), "pw");
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int PRIMARY KEY)");
            st.execute("INSERT INTO t SELECT generate_series(1, 1000)");
        }
        // a server that no launcher owns any more: started by pg_ctl, detached (what an earlier
        // version left behind when it was killed)
        db.close();
        db = null;
        Path bin = EmbeddedDatabase.binaries().resolve("bin");
        int orphanPort = LocalServer.freePort();
        Process pgCtl = new ProcessBuilder(EmbeddedDatabase.asServer(bin.resolve("pg_ctl").toString(), "start", "-w",
                "-D", pgData.toString(), "-o", "-p " + orphanPort + " -c listen_addresses=127.0.0.1",
                "-l", dir.resolve("orphan.log").toString()))
                .redirectErrorStream(true).start();
        pgCtl.getOutputStream().close();
        assertTrue(pgCtl.waitFor(60, TimeUnit.SECONDS) && pgCtl.exitValue() == 0, "the orphan started");
        long orphan = EmbeddedDatabase.pidFromLockFile(pgData).orElseThrow();
        assertEquals(1000, rows(orphanPort));

        db = EmbeddedDatabase.start(pgData, port, config(), "pw");

        assertFalse(Processes.alive(orphan), "the orphan is stopped");
        assertEquals(1000, rows(port));
    }

    @Test
    void closingStopsTheServerAndItsWrapper() throws Exception {
        db = EmbeddedDatabase.start(dir.resolve("postgres"), LocalServer.freePort(), config(), "pw");
        long postmaster = db.postmasterPid().orElseThrow();
        Process wrapper = db.process();
        db.close();
        assertFalse(wrapper.isAlive());
        assertFalse(Processes.alive(postmaster));
        assertFalse(Files.exists(dir.resolve("postgres/postmaster.pid")), "a clean stop removes the lock file");
        db = null;
    }

    @Test
    void aBackupTakenUnderWritesRestoresAConsistentStateBetweenItsStartAndItsEnd() throws Exception {
        Path data = dir.resolve("data");
        String password = LocalServer.databasePassword(data);
        db = EmbeddedDatabase.start(data.resolve("postgres"), LocalServer.freePort(), config(), password);
        int port = db.port();
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            // every transaction moves one unit between two accounts: the total stays 0
            st.execute("CREATE TABLE t (id int PRIMARY KEY)");
            st.execute("CREATE TABLE account (id int PRIMARY KEY, balance bigint NOT NULL)");
            st.execute("INSERT INTO account VALUES (1, 0), (2, 0)");
            st.execute("INSERT INTO t SELECT generate_series(1, 50000)");
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong committed = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection c = connect(port)) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    while (!stop.get()) {
                        st.execute("UPDATE account SET balance = balance - 1 WHERE id = 1");
                        st.execute("UPDATE account SET balance = balance + 1 WHERE id = 2");
                        st.execute("INSERT INTO t VALUES (" + (50001 + committed.get()) + ")");
                        c.commit();
                        committed.incrementAndGet();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> committed.get() > 100);
        long before = committed.get();
        Backups.backup(data, dir.resolve("backup"));
        long after = committed.get();
        stop.set(true);
        writer.join();
        db.close();
        db = null;

        Backups.restore(dir.resolve("backup"), data);
        db = EmbeddedDatabase.start(data.resolve("postgres"), LocalServer.freePort(), config(), password);
        try (Connection c = connect(db.port()); Statement st = c.createStatement()) {
            long moved;
            try (ResultSet rs = st.executeQuery("SELECT sum(balance), max(balance) FROM account")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "no transaction is half there");
                moved = rs.getLong(2);
            }
            assertTrue(moved >= before && moved <= after + 1, moved + " transfers, committed " + before + " to " + after
                    + " while the backup ran");
            assertEquals(50000 + moved, rows(db.port()), "the rows of exactly those transactions");
        }
        try (var entries = Files.list(data)) {
            assertTrue(entries.anyMatch(p -> p.getFileName().toString().startsWith("postgres.before-restore-")),
                    "the database that was replaced is kept aside");
        }
    }

    /**
     * Whether a process runs: alive and not a zombie (a stopped server whose parent has gone is
     * reaped by whatever adopted it, sometimes a while later).
     */
}
