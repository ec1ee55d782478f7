package io.segmatch.testing;

import io.segmatch.shared.control.SchemaMigrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A real PostgreSQL for tests: the server named by {@code SEGMATCH_TEST_DB_URL} (or the
 * system property {@code segmatch.test.db.url}), else an embedded PostgreSQL started once
 * per JVM. Each caller gets a fresh database with the Flyway schema.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres embedded;
    private static String serverUrl;

    private TestDatabase() {
    }

    /** The JDBC URL of the server (its maintenance database), starting the embedded one if needed. */
    public static synchronized String serverUrl() {
        if (serverUrl == null) {
            String configured = System.getProperty("segmatch.test.db.url");
            if (configured == null || configured.isBlank()) {
                configured = System.getenv("SEGMATCH_TEST_DB_URL");
            }
            if (configured != null && !configured.isBlank()) {
                serverUrl = configured;
            } else {
                try {
                    embedded = EmbeddedPostgres.builder()
                            .setServerConfig("listen_addresses", "127.0.0.1")
                            .setServerConfig("max_connections", "100")
                            .start();
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
                }
                serverUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        embedded.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting
                    }
                }));
            }
        }
        return serverUrl;
    }

    public static String user() {
        String user = System.getenv("SEGMATCH_TEST_DB_USER");
        return user == null ? "postgres" : user;
    }

    public static String password() {
        String password = System.getenv("SEGMATCH_TEST_DB_PASSWORD");
        return password == null ? "" : password;
    }

    /** Creates a new, migrated database and returns its JDBC URL. */
    public static String newDatabaseUrl(String prefix) {
        String url = emptyDatabaseUrl(prefix);
        SchemaMigrations.migrate(dataSource(url));
        return url;
    }

    /** Creates a new database without any schema (for tests of the migrations themselves) and returns its JDBC URL. */
    public static String emptyDatabaseUrl(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet()
                + "_" + System.nanoTime() % 100000).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String server = serverUrl();
        try (Connection c = DriverManager.getConnection(server, user(), password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + ": " + e.getMessage(), e);
        }
        return server.substring(0, server.lastIndexOf('/') + 1) + name;
    }

    /**
     * A fresh database migrated only up to schema {@code version} (for tests of an upgrade: fill
     * it as the schema was, then run {@link SchemaMigrations#migrate}).
     */
    public static DataSource atVersion(String prefix, String version) {
        DataSource db = dataSource(emptyDatabaseUrl(prefix));
        Flyway.configure(SchemaMigrations.class.getClassLoader()).dataSource(db).locations("classpath:db/migration")
                .target(version).load().migrate();
        return db;
    }

    /** A fresh, migrated database. */
    public static DataSource newDatabase(String prefix) {
        return dataSource(newDatabaseUrl(prefix));
    }

    /**
     * {@code dataSource} with its connections kept open and handed out again (at most
     * {@code idle} kept): for tests that open a connection per transaction thousands of
     * times, where opening one (a new PostgreSQL backend) costs more than the work. A
     * connection comes back rolled back and in auto-commit; session-level state (a session
     * advisory lock) would survive its close, so tests that rely on a session ending use
     * the plain data source.
     */
    public static DataSource reusing(DataSource dataSource, int idle) {
        return new ReusingDataSource(dataSource, idle);
    }

    public static DataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user());
        ds.setPassword(password());
        return ds;
    }
}
