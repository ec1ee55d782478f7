package io.segmatch.bench;

import io.segmatch.launcher.EmbeddedDatabase;
import io.segmatch.launcher.LocalServer;
import io.segmatch.launcher.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's run command, as an operator meets it: {@code kill -9} of the launcher takes Payara
 * Micro and PostgreSQL with it, and the next start works on the first try.
 */
class LauncherIT {
    // the one run of the real launcher in the build: start, data, a backup while running, kill -9,
    // restore, start again

    private final List<Process> launchers = new ArrayList<>();
    private Path data;

    @AfterEach
    void stop() throws Exception {
        for (Process p : launchers) {
            p.destroy();
            p.waitFor();
        }
        if (data != null) {
            for (Path dir : List.of(data, data.resolveSibling(data.getFileName() + "-backup"))) {
                if (Files.exists(dir)) {
                    try (var files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }

    private Process launch(int port, Path log, String... more) throws Exception {
        Path jar = LauncherHome.get().resolve("segmatch.jar").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--port", String.valueOf(port), "--data", data.toString(),
                "--java-options", "-Xmx512m"));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        launchers.add(p);
        return p;
    }

    private static boolean ready(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean alive(long pid) {
        return Processes.alive(pid);
    }

    @Test
    void helpAndAWrongOptionStopBeforeAnythingStartsOrIsCreated() throws Exception {
        data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "launcher-").toAbsolutePath();
        Path unused = data.resolve("data");
        Path out = data.resolve("out.txt");
        assertEquals(0, tool(List.of("--help"), out), "--help");
        String help = Files.readString(out);
        assertTrue(help.startsWith("usage: java -jar segmatch.jar [options]") && help.contains("--db-shared-buffers SIZE"), help);
        assertEquals(2, tool(List.of("--data", unused.toString(), "--prot", "9090"), out), "a misspelt option");
        assertTrue(Files.readString(out).startsWith("segmatch: unknown option --prot"), Files.readString(out));
        assertEquals(2, tool(List.of("--data", unused.toString(), "--port"), out), "an option without its value");
        assertTrue(Files.readString(out).startsWith("segmatch: --port needs a value"), Files.readString(out));
        assertFalse(Files.exists(unused), "nothing created");
    }

    @Test
    void killingTheLauncherTakesItsChildrenAlongAndTheNextStartWorksAtOnce() throws Exception {
        data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "launcher-").toAbsolutePath();
        int port = LocalServer.freePort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Path firstLog = data.resolveSibling(data.getFileName() + "-first.log");
        Process first = launch(port, firstLog);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> !first.isAlive() || Files.readString(firstLog).contains("Segmatch is ready"));
        assertTrue(first.isAlive(), () -> "the launcher runs: " + read(firstLog));
        assertTrue(ready(http, port));
        assertEquals(megabytes(LocalServer.automaticSharedBuffers()), sharedBuffersMb(),
                "the launcher's own buffer pool size");

        // some data: a dataset of 30 rows and a segment of 10 of them
        String base = "http://127.0.0.1:" + port + "/";
        BenchAuth.firstLogin(http, base, Files.readString(LocalServer.initialPasswordFile(data)).strip());
        StringBuilder csv = new StringBuilder("customer_id,country\n");
        for (int i = 1; i <= 30; i++) {
            csv.append("c").append(i).append(',').append(i % 3 == 0 ? "DE" : "FR").append('\n');
        }
        var upload = MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/datasets?name=kept&key=customer_id"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv.toString())));
        assertEquals(201, upload.statusCode(), upload.body());
        String dataset = BenchJson.field(upload.body(), "datasetId");
        var segment = MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/segments"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"de\", "
                        + "\"datasetId\": \"" + dataset + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"country\", "
                        + "\"operator\": \"eq\", \"value\": \"de\"}]}")));
        assertEquals(201, segment.statusCode(), segment.body());
        String segmentUrl = base + "api/segments/" + BenchJson.field(segment.body(), "id");
        MembershipBenchmark.waitFor(http, segmentUrl, b -> b.contains("\"memberCount\":10"), Duration.ofMinutes(2));

        // a backup while it runs, then a change the backup does not have
        Path backup = data.resolveSibling(data.getFileName() + "-backup");
        assertEquals(0, tool(List.of("--data", data.toString(), "--backup", backup.toString())), "the backup");
        assertEquals(204, MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/datasets/" + dataset + "/rows/c3"))
                .DELETE()).statusCode());
        MembershipBenchmark.waitFor(http, segmentUrl, b -> b.contains("\"memberCount\":9"), Duration.ofMinutes(2));

        List<Long> children = first.descendants().map(ProcessHandle::pid).toList();
        long postmaster = EmbeddedDatabase.pidFromLockFile(data.resolve("postgres")).orElseThrow();
        assertTrue(children.contains(postmaster), "PostgreSQL is the launcher's descendant: " + children);
        long micro = first.children().filter(c -> c.info().commandLine().orElse("").contains("payara-micro.jar"))
                .findFirst().orElseThrow().pid();

        assertTrue(Processes.kill9(first.pid()));

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> !alive(micro) && !alive(postmaster));
        assertFalse(ready(http, port));

        // the backup goes back in place of the database
        assertEquals(0, tool(List.of("--data", data.toString(), "--restore", backup.toString())), "the restore");

        Path secondLog = data.resolveSibling(data.getFileName() + "-second.log");
        Process second = launch(port, secondLog, "--db-shared-buffers", "160MB");
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> !second.isAlive() || Files.readString(secondLog).contains("Segmatch is ready"));
        assertTrue(second.isAlive(), () -> "the second start works on the first try: " + read(secondLog));
        assertTrue(ready(http, port));
        String restored = MembershipBenchmark.send(http, BenchAuth.request(URI.create(segmentUrl)).GET()).body();
        assertTrue(restored.contains("\"memberCount\":10"), "the members as at the backup: " + restored);
        assertEquals(160, sharedBuffersMb(), "--db-shared-buffers sizes the buffer pool");
        assertEquals(200, MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/datasets/" + dataset
                + "/rows/c3")).GET()).statusCode(), "the row deleted after the backup is back");
        assertTrue(MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/datasets/" + dataset)).GET()).body()
                .contains("\"rowCount\":30"));

        // a plain stop (SIGTERM) stops everything too, cleanly
        long secondPostmaster = EmbeddedDatabase.pidFromLockFile(data.resolve("postgres")).orElseThrow();
        List<ProcessHandle> secondChildren = second.descendants().toList();
        second.destroy();
        assertTrue(second.waitFor(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(alive(secondPostmaster), "PostgreSQL stopped with the launcher");
        assertTrue(secondChildren.stream().noneMatch(p -> alive(p.pid())), "no child outlives the launcher");
        assertFalse(Files.exists(data.resolve("postgres/postmaster.pid")), "PostgreSQL stopped cleanly");
        Files.deleteIfExists(firstLog);
        Files.deleteIfExists(secondLog);
    }

    /** The running embedded database's {@code shared_buffers}, in MB, asked over its own port with its password. */
    private long sharedBuffersMb() throws Exception {
        List<String> pid = Files.readAllLines(data.resolve("postgres/postmaster.pid"));
        String url = "jdbc:postgresql://127.0.0.1:" + pid.get(3).strip() + "/segmatch";
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", Files.readString(data.resolve("db-password")).strip());
             var rs = c.createStatement().executeQuery(
                     "SELECT setting::bigint * 8192 / (1024 * 1024) FROM pg_settings WHERE name = 'shared_buffers'")) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    private static long megabytes(String size) {
        assertTrue(size.endsWith("MB"), size);
        return Long.parseLong(size.substring(0, size.length() - 2));
    }

    /** Runs the launcher jar for a one-off command, its output into {@code out}; returns its exit code. */
    private int tool(List<String> arguments, Path out) throws Exception {
        return tool(arguments, ProcessBuilder.Redirect.to(out.toFile()));
    }

    /** Runs the launcher jar for a one-off command; returns its exit code. */
    private int tool(List<String> arguments) throws Exception {
        return tool(arguments, ProcessBuilder.Redirect.INHERIT);
    }

    private int tool(List<String> arguments, ProcessBuilder.Redirect output) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", LauncherHome.get().resolve("segmatch.jar").toAbsolutePath().toString()));
        command.addAll(arguments);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        return p.exitValue();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
