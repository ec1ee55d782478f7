package io.segmatch.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Segmatch locally: an embedded PostgreSQL with its data under the data directory
 * (unless {@code segmatch.db.url} names a server), and Payara Micro deploying the WAR,
 * in a child JVM that gets the database through {@code SEGMATCH_DB_*}.
 */
public final class LocalServer implements AutoCloseable {

    /**
     * What to start. {@code javaOptions} go to the Payara Micro JVM; {@code sharedBuffers} is the
     * embedded database's buffer pool in PostgreSQL's units ({@code 2GB}), or null for
     * {@link #automaticSharedBuffers()}.
     */
    public record Settings(Path home, Path dataDir, int port, List<String> javaOptions, Map<String, String> database,
                           String bind, String sharedBuffers) {
        public Settings(Path home, Path dataDir, int port, List<String> javaOptions, Map<String, String> database) {
            this(home, dataDir, port, javaOptions, database, "127.0.0.1", null);
        }
    }

    /** The smallest and the largest buffer pool the launcher chooses by itself. */
    static final long MIN_SHARED_BUFFERS_MB = 128;
    static final long MAX_SHARED_BUFFERS_MB = 256;

    /**
     * The embedded database's buffer pool for a machine (or container) of {@code totalMemoryBytes}:
     * a quarter of it, between 128 MB and 256 MB. Larger pools were measured (docs/performance.md):
     * faster while the data fits in memory twice over, slower once it approaches the machine's
     * memory, where the pool and the operating system's cache hold the same pages; an operator who
     * knows the data's size sets {@code --db-shared-buffers}.
     */
    static String sharedBuffersFor(long totalMemoryBytes) {
        long quarterMb = totalMemoryBytes / 4 / (1024 * 1024);
        return Math.max(MIN_SHARED_BUFFERS_MB, Math.min(MAX_SHARED_BUFFERS_MB, quarterMb)) + "MB";
    }

    /**
     * How many parallel workers one statement of the embedded database may use on a machine of
     * {@code processors}: one fewer than the processors, as the statement's own process works
     * too, and never more than PostgreSQL's default of two. PostgreSQL's default on a two-core
     * machine runs three processes on two cores: the whole-dataset preview of a million rows
     * took 178–235 ms (p50) that way against 148–151 ms with one worker (docs/performance.md).
     */
    static int parallelWorkersFor(int processors) {
        return Math.max(0, Math.min(2, processors - 1));
    }

    /**
     * The embedded PostgreSQL's settings, with its buffer pool and the parallel workers a
     * statement may use. The background writer writes dirty buffers ahead of the processes
     * that need room in the pool (up to 1,000 every 10 ms, four times the recent demand) instead
     * of PostgreSQL's default of 100 every 200 ms (4 MB a second): once the tables outgrow the
     * pool, a statement that reads pages another one dirtied (a run after an upload) otherwise
     * writes each of them out itself before it can read its next page (docs/performance.md).
     */
    static Map<String, String> databaseSettings(String sharedBuffers, int parallelWorkers) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listen_addresses", "127.0.0.1");
        config.put("timezone", "UTC");
        config.put("max_wal_size", "4GB");
        config.put("shared_buffers", sharedBuffers);
        config.put("work_mem", "64MB");
        config.put("maintenance_work_mem", "256MB");
        config.put("max_parallel_workers_per_gather", String.valueOf(parallelWorkers));
        config.put("max_connections", "60");
        config.put("wal_buffers", "64MB");
        config.put("checkpoint_timeout", "15min");
        config.put("bgwriter_delay", "10ms");
        config.put("bgwriter_lru_maxpages", "1000");
        config.put("bgwriter_lru_multiplier", "4");
        // durable: every commit the application acknowledged is on disk (fsync and synchronous_commit
        // are PostgreSQL's defaults, spelled out because test setups often turn them off)
        config.put("fsync", "on");
        config.put("synchronous_commit", "on");
        return config;
    }

    /** {@link #sharedBuffersFor} this machine's memory, as the JVM sees it (a container's limit inside one). */
    public static String automaticSharedBuffers() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long total = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
        return sharedBuffersFor(total);
    }

    /** Where the first administrator's generated password is written (mode 0600). */
    public static Path initialPasswordFile(Path dataDir) {
        return dataDir.toAbsolutePath().resolve("initial-admin-password");
    }

    private final Settings settings;
    private EmbeddedDatabase postgres;
    private Process micro;

    private LocalServer(Settings settings) {
        this.settings = settings;
    }

    /** Starts the database and the application server, and waits until the application is ready. */
    public static LocalServer start(Settings settings, Duration timeout) throws IOException, InterruptedException {
        LocalServer server = new LocalServer(settings);
        // registered first: a SIGTERM while starting stops what has started
        Thread hook = new Thread(server::close, "segmatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.shutdownHook = hook;
        try {
            server.startDatabase();
            server.startMicro();
            server.awaitReady(timeout);
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private Map<String, String> db;
    private Thread shutdownHook;

    private void startDatabase() throws IOException, InterruptedException {
        if (settings.database().get("url") != null) {
            db = settings.database();
            log("using the PostgreSQL server at " + db.get("url"));
            return;
        }
        Path pgData = settings.dataDir().resolve("postgres");
        Files.createDirectories(pgData);
        String password = databasePassword(settings.dataDir());
        long t0 = System.nanoTime();
        String sharedBuffers = settings.sharedBuffers() == null || settings.sharedBuffers().isBlank()
                ? automaticSharedBuffers() : settings.sharedBuffers().strip();
        if (!sharedBuffers.matches("[1-9][0-9]*(kB|MB|GB)")) {
            throw new IllegalArgumentException("--db-shared-buffers: expected a size such as 512MB or 4GB, got '" + sharedBuffers + "'");
        }
        int workers = parallelWorkersFor(Runtime.getRuntime().availableProcessors());
        Map<String, String> config = databaseSettings(sharedBuffers, workers);
        postgres = EmbeddedDatabase.start(pgData, freePort(), config, password);
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/segmatch";
        requirePasswords(pgData, postgres.port(), password);
        createDatabase(postgres.port(), password);
        db = Map.of("url", url, "user", "postgres", "password", password);
        log(String.format("embedded PostgreSQL started in %.1f s on 127.0.0.1:%d, shared buffers %s, parallel workers "
                + "per statement %d, data in %s", (System.nanoTime() - t0) / 1e9, postgres.port(), sharedBuffers, workers,
                pgData.toAbsolutePath()));
    }

    /**
     * The embedded database's password, generated once into {@code DATA/db-password} (readable by
     * its owner only). The database takes only this password (SCRAM), never trust: another user
     * of the machine cannot connect to it.
     */
    static String databasePassword(Path dataDir) throws IOException {
        Path file = dataDir.toAbsolutePath().resolve("db-password");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(dataDir);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, password + "\n");
        return password;
    }

    /** The authentication rules of the embedded database: a password (SCRAM-SHA-256) on every connection. */
    static final String PG_HBA = """
            # Segmatch: every connection needs the password in DATA/db-password (SCRAM), loopback only
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;

    /**
     * A database created with trust authentication (the first start, or one made before passwords
     * were required) gets its password and the password-only rules; later starts find them.
     */
    private static void requirePasswords(Path pgData, int port, String password) throws IOException {
        Path hba = pgData.resolve("pg_hba.conf");
        if (Files.readString(hba).equals(PG_HBA)) {
            return;
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
             Statement st = c.createStatement()) {
            st.execute("SET password_encryption = 'scram-sha-256'");
            st.execute("ALTER ROLE postgres PASSWORD '" + password.replace("'", "''") + "'");
            Files.writeString(hba, PG_HBA);
            st.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("could not set the embedded database's password: " + e.getMessage(), e);
        }
        log("the embedded PostgreSQL now takes only the password in " + pgData.getParent().resolve("db-password"));
    }

    private static void createDatabase(int port, String password) throws IOException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = 'segmatch'");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE segmatch");
                }
            }
        } catch (SQLException e) {
            throw new IOException("could not create the segmatch database: " + e.getMessage(), e);
        }
    }

    private void startMicro() throws IOException {
        Path home = settings.home();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.javaOptions());
        command.add("-Duser.timezone=UTC");
        // stops this JVM when the launcher's pipe closes: Payara Micro never outlives the launcher
        command.add("-javaagent:" + home.resolve("segmatch-watch.jar"));
        command.addAll(List.of("-jar", home.resolve("payara-micro.jar").toString(),
                "--deploy", home.resolve("segmatch.war").toString(),
                "--contextroot", "/",
                "--port", String.valueOf(settings.port()),
                "--nocluster",
                "--prebootcommandfile", preBootCommands(home).toString(),
                "--postbootcommandfile", home.resolve("payara/post-boot-commands.txt").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("SEGMATCH_DB_URL", db.get("url"));
        pb.environment().put("SEGMATCH_DB_USER", db.getOrDefault("user", "postgres"));
        pb.environment().put("SEGMATCH_DB_PASSWORD", db.getOrDefault("password", ""));
        pb.environment().put("SEGMATCH_DATA_DIR", settings.dataDir().toAbsolutePath().toString());
        pb.environment().putIfAbsent("SEGMATCH_ADMIN_INITIAL_PASSWORD_FILE", initialPasswordFile(settings.dataDir()).toString());
        // the key that encrypts the stored Google token lives outside the data directory (a backup of the
        // data must not carry its key), in ~/.segmatch unless one is configured
        pb.environment().putIfAbsent("SEGMATCH_SECRET_KEY_FILE", secretKeyFile(settings.dataDir()).toString());
        micro = pb.start();
        log("Payara Micro starting (pid " + micro.pid() + ")");
    }

    /**
     * The shipped pre-boot commands plus the listening address ({@code --bind}, 127.0.0.1 unless
     * given), written into the data directory for this start.
     */
    private Path preBootCommands(Path home) throws IOException {
        if (!settings.bind().matches("[0-9A-Fa-f:.]+")) {
            throw new IOException("--bind takes an IP address, not " + settings.bind());
        }
        String commands = Files.readString(home.resolve("payara/pre-boot-commands.txt"))
                + "\n# the listening address (the launcher's --bind)\n"
                + "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address="
                + settings.bind() + "\n";
        Files.createDirectories(settings.dataDir());
        Path file = settings.dataDir().toAbsolutePath().resolve("pre-boot-commands.txt");
        Files.writeString(file, commands);
        return file;
    }

    /**
     * {@code ~/.segmatch/secret.key}; a key that an older version kept in the data directory is
     * moved there (the stored token stays readable).
     */
    static Path secretKeyFile(Path dataDir) throws IOException {
        Path home = Path.of(System.getProperty("user.home"), ".segmatch", "secret.key");
        Path old = dataDir.toAbsolutePath().resolve("secret.key");
        if (Files.exists(old) && !Files.exists(home)) {
            Files.createDirectories(home.getParent());
            Files.move(old, home);
            log("moved the secret key out of the data directory to " + home);
        }
        return home;
    }

    /**
     * Asks {@code /health/ready} every half second until it answers 200. Over HTTP/1.1, a new
     * exchange each time: the JDK's client would otherwise try to upgrade the connection to
     * HTTP/2 and keep it. When the time is up, the message says what the last answer was.
     */
    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create(baseUrl() + "health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!micro.isAlive()) {
                throw new IOException("Payara Micro exited with code " + micro.exitValue() + " during startup");
            }
            try {
                var response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                String body = response.body();
                last = "status " + response.statusCode() + ": " + (body.length() > 500 ? body.substring(0, 500) + "…" : body);
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(500);
        }
        throw new IOException("Segmatch was not ready within " + timeout.toSeconds() + " s; the last answer of "
                + ready + " was " + last);
    }

    /** The database the server uses: {@code url}, {@code user}, {@code password}. */
    public Map<String, String> database() {
        return db;
    }

    public String baseUrl() {
        String host = settings.bind().equals("0.0.0.0") || settings.bind().equals("::") ? "127.0.0.1"
                : settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
        return "http://" + host + ":" + settings.port() + "/";
    }

    public Process process() {
        return micro;
    }

    /** Waits until the application server exits by itself. */
    public int waitFor() throws InterruptedException {
        return micro.waitFor();
    }

    /** Stops Payara Micro, then PostgreSQL (also run by a shutdown hook; a second call does nothing). */
    @Override
    public synchronized void close() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException exiting) {
                // the JVM is shutting down: the hook runs (or waits for this call)
            }
            shutdownHook = null;
        }
        if (micro != null && micro.isAlive()) {
            micro.destroy();
            try {
                if (!micro.waitFor(60, TimeUnit.SECONDS)) {
                    micro.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                micro.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void log(String message) {
        System.out.println("[segmatch] " + message);
    }
}
