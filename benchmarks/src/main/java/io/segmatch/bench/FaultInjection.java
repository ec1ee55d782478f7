package io.segmatch.bench;

import io.segmatch.fake.google.FakeGoogle;
import io.segmatch.fake.meta.FakeMeta;
import io.segmatch.launcher.EmbeddedDatabase;
import io.segmatch.launcher.Launcher;
import io.segmatch.launcher.LocalServer;
import io.segmatch.launcher.Processes;
import jakarta.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.segmatch.bench.FaultApi.await;
import static io.segmatch.bench.FaultApi.probe;
import static io.segmatch.bench.FaultChecks.check;

/**
 * {@code java -cp server-config/target/segmatch.jar io.segmatch.bench.FaultInjection [--kills 20]
 * [--rows 20000] [--seed N]}: starts Segmatch with the launcher (embedded PostgreSQL, the bundled fake
 * Google in this JVM), drives its API, and kills things at random points — Payara Micro in the
 * middle of an upload, a row write, a membership run or a sync; the whole group (launcher, Payara
 * Micro and PostgreSQL at once); PostgreSQL alone. After each it waits for Segmatch to be back and
 * checks: the dataset exactly as before or exactly as after each write (all of an upload or none,
 * and every acknowledged write there); the members equal to a full evaluation of the rule; the
 * enter/exit log replaying to the members; Google's list holding exactly the members, one list,
 * no malformed hash, and Meta's audience holding exactly the members, one audience. Prints each kill point, its recovery times, and {@code N passed, M failed}.
 */
public final class FaultInjection {

    enum Target { PAYARA, GROUP, POSTGRES }

    enum Operation { UPLOAD, ROW_WRITE, RUN, SYNC }

    private final Path dir;
    private final int rows;
    private final Random random;
    private final FakeGoogle google;
    private final FakeMeta meta;
    private final int port;
    private FaultApi api;
    private Process launcher;
    private String datasetId;
    private String segmentId;
    /** What the dataset holds, as far as acknowledged writes tell. */
    private Map<String, Map<String, String>> model = new LinkedHashMap<>();
    private int nextKey;

    FaultInjection(Path dir, int rows, long seed, FakeGoogle google, FakeMeta meta) throws IOException {
        this.dir = dir.toAbsolutePath();
        this.rows = rows;
        this.random = new Random(seed);
        this.google = google;
        this.meta = meta;
        this.port = LocalServer.freePort();
    }

    public static void main(String[] args) throws Exception {
        int kills = Integer.parseInt(Launcher.setting(args, "--kills", "segmatch.faults.kills", "20"));
        int rows = Integer.parseInt(Launcher.setting(args, "--rows", "segmatch.faults.rows", "20000"));
        long seed = Long.parseLong(Launcher.setting(args, "--seed", "segmatch.faults.seed",
                String.valueOf(System.nanoTime() % 1_000_000)));
        Path dir = Path.of(Launcher.setting(args, "--dir", "segmatch.faults.dir", "target/faults"));
        int failed = run(dir, kills, rows, seed, null);
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Runs {@code kills} kill points (or the given plan, in order); returns how many failed. */
    static int run(Path dir, int kills, int rows, long seed, List<Object[]> plan) throws Exception {
        System.out.printf(Locale.ROOT, "fault injection: %d kill points, %,d rows, seed %d%n", kills, rows, seed);
        try (FakeGoogle google = FakeGoogle.start(); FakeMeta meta = FakeMeta.start()) {
            google.recordBodies(false);
            google.processing(Duration.ofMillis(300));
            FaultInjection run = new FaultInjection(dir, rows, seed, google, meta);
            int passed = 0;
            int failed = 0;
            try {
                run.setUp();
                for (int i = 1; i <= kills; i++) {
                    Operation op = plan == null ? Operation.values()[run.random.nextInt(Operation.values().length)]
                            : (Operation) plan.get(i - 1)[0];
                    Target target = plan == null ? Target.values()[run.random.nextInt(Target.values().length)]
                            : (Target) plan.get(i - 1)[1];
                    Integer delay = plan == null || plan.get(i - 1).length < 3 ? null : (Integer) plan.get(i - 1)[2];
                    String outcome;
                    try {
                        outcome = run.killPoint(op, target, delay);
                        passed++;
                        outcome = "passed: " + outcome;
                    } catch (Exception | AssertionError e) {
                        failed++;
                        outcome = "FAILED: " + e.getMessage();
                        run.restartAfterFailure();
                    }
                    System.out.printf(Locale.ROOT, "kill point %2d/%d, %s during %s: %s%n", i, kills, target, op, outcome);
                }
            } finally {
                run.stopLauncher();
            }
            System.out.printf(Locale.ROOT, "%d passed, %d failed%n", passed, failed);
            return failed;
        }
    }

    // ---- the launcher ----

    private void startLauncher() throws Exception {
        List<String> javaOptions = new ArrayList<>(List.of("-Xmx512m"));
        javaOptions.addAll(ActivationBenchmark.serverOptions(google, meta));
        Path log = dir.resolve("launcher.log");
        launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                LauncherHome.get().resolve("segmatch.jar").toString(), "--port", String.valueOf(port),
                "--data", dir.resolve("data").toString(), "--java-options", String.join(" ", javaOptions))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Process started = launcher;
        await("Segmatch to start (see " + log + ")", Duration.ofMinutes(5), probe(() -> {
            if (!started.isAlive()) {
                throw new AssertionError("the launcher exited with " + started.exitValue() + " while starting: see " + log);
            }
            return api == null ? new FaultApi("http://127.0.0.1:" + port + "/").ready() : api.ready();
        }), Boolean::booleanValue);
    }

    private void stopLauncher() throws InterruptedException {
        if (launcher != null && launcher.isAlive()) {
            launcher.destroy();
            launcher.waitFor(2, TimeUnit.MINUTES);
        }
    }

    private void restartAfterFailure() {
        try {
            stopLauncher();
            startLauncher();
            model = rows();
        } catch (Exception e) {
            System.out.println("could not restart after a failed kill point: " + e.getMessage());
        }
    }

    private long payaraPid() {
        return launcher.children().filter(c -> c.info().commandLine().orElse("").contains("payara-micro.jar"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no Payara Micro under the launcher")).pid();
    }

    private long postmasterPid() throws IOException {
        return EmbeddedDatabase.pidFromLockFile(dir.resolve("data/postgres"))
                .orElseThrow(() -> new IllegalStateException("no PostgreSQL lock file"));
    }

    // ---- set-up ----

    private void setUp() throws Exception {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        startLauncher();
        api = new FaultApi("http://127.0.0.1:" + port + "/");
        api.login(Files.readString(LocalServer.initialPasswordFile(dir.resolve("data"))).strip());
        Map<String, Map<String, String>> initial = new LinkedHashMap<>();
        for (int i = 0; i < rows; i++) {
            initial.put(key(nextKey++), person());
        }
        var created = api.send("POST", "api/datasets?name=faults&key=customer_id", "text/csv", csv(initial));
        check(created.status() == 201, "the first upload: " + created.body());
        datasetId = created.json().getString("datasetId");
        model = initial;
        var segment = api.send("POST", "api/segments", "application/json", "{\"name\": \"pro\", \"datasetId\": \"" + datasetId
                + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}], "
                + "\"activation\": {\"googleAds\": {\"enabled\": true, \"userList\": null, "
                + "\"consent\": {\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"}}, "
                + "\"meta\": {\"enabled\": true, \"audienceId\": null}}}");
        check(segment.status() == 201, "the segment: " + segment.body());
        segmentId = segment.json().getString("id");
        check(rows().equals(model), "the first upload's rows are not those of the file");
        checks().settle(model);
    }

    private static String key(int n) {
        return String.format(Locale.ROOT, "c%07d", n);
    }

    private Map<String, String> person() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("email", "person" + random.nextInt(1_000_000_000) + "@example.com");
        values.put("plan", random.nextInt(3) == 0 ? "pro" : "free");
        values.put("score", String.valueOf(random.nextInt(1000)));
        return values;
    }

    private static String csv(Map<String, Map<String, String>> rows) {
        StringBuilder b = new StringBuilder("customer_id,email,plan,score\n");
        rows.forEach((k, v) -> b.append(k).append(',').append(v.get("email")).append(',').append(v.get("plan")).append(',')
                .append(v.get("score")).append('\n'));
        return b.toString();
    }

    // ---- one kill point ----

    /** A write in flight: the dataset must end up as {@code before} or as {@code after}. */
    private record Write(String what, Map<String, Map<String, String>> before, Map<String, Map<String, String>> after) {
    }

    private String killPoint(Operation op, Target target, Integer fixedDelay) throws Exception {
        Write write = plan(op);
        // an upload of a few thousand rows takes a few hundred milliseconds: kills land inside it
        long delay = fixedDelay != null ? fixedDelay : random.nextInt(switch (op) {
            case UPLOAD -> 400;
            case RUN -> 800;
            default -> 1500;
        });
        CompletableFuture<FaultApi.Answer> answer = CompletableFuture.supplyAsync(probe(() -> switch (op) {
            case UPLOAD, RUN -> api.send("POST", "api/datasets/" + datasetId + "/uploads?mode=upsert", "text/csv",
                    csv(changed(write)));
            case ROW_WRITE -> write.after().size() < write.before().size()
                    ? api.send("DELETE", "api/datasets/" + datasetId + "/rows/" + removedKey(write), null, null)
                    : api.send("PUT", "api/datasets/" + datasetId + "/rows/" + changed(write).keySet().iterator().next(),
                    "application/json", json(changed(write).values().iterator().next()));
            case SYNC -> api.send("POST", "api/activation/runs", "application/json", "{}");
        }));
        if (op == Operation.RUN) {
            // the kill lands while the membership run evaluates the upload, after its answer
            answer.get(2, TimeUnit.MINUTES);
        }
        Thread.sleep(delay);
        long killedAt = System.nanoTime();
        long payara = payaraPid();
        long postmaster = postmasterPid();
        switch (target) {
            case PAYARA -> Processes.kill9(payara);
            case GROUP -> {
                Processes.kill9(launcher.pid());
                Processes.kill9(payara);
                Processes.kill9(postmaster);
            }
            case POSTGRES -> Processes.kill9(postmaster);
        }
        FaultApi.Answer acknowledged = null;
        try {
            acknowledged = answer.get(3, TimeUnit.MINUTES);
        } catch (ExecutionException noAnswer) {
            // cut off: the write may or may not be there, but all of it or none
        }
        boolean ack = acknowledged != null && acknowledged.ok();
        double ready;
        if (target == Target.POSTGRES) {
            // the launcher starts PostgreSQL again (a new postmaster); the application reconnects by itself
            await("PostgreSQL to be started again", Duration.ofMinutes(5), probe(() -> !Processes.alive(postmaster)
                    && EmbeddedDatabase.pidFromLockFile(dir.resolve("data/postgres")).map(p -> p != postmaster && Processes.alive(p))
                    .orElse(false)), Boolean::booleanValue);
            await("Segmatch to be ready again", Duration.ofMinutes(5), api::ready, Boolean::booleanValue);
        } else {
            await("the old processes to be gone", Duration.ofMinutes(2), () -> !Processes.alive(payara) && !Processes.alive(postmaster)
                    && (target != Target.PAYARA || !launcher.isAlive()), Boolean::booleanValue);
            startLauncher();
        }
        ready = (System.nanoTime() - killedAt) / 1e9;
        Map<String, Map<String, String>> found = rows();
        if (ack) {
            check(found.equals(write.after()), write.what() + " was acknowledged (" + acknowledged.status()
                    + ") but the dataset is not as after it: " + difference(write.after(), found));
        } else {
            check(found.equals(write.before()) || found.equals(write.after()), write.what() + " (no answer) left the dataset"
                    + " neither as before nor as after: " + difference(write.after(), found));
        }
        model = found;
        double processing = checks().settle(model);
        double total = (System.nanoTime() - killedAt) / 1e9;
        String state = ack ? "acknowledged" : "cut off (no answer; found "
                + (write.before().equals(write.after()) ? "unchanged" : found.equals(write.after()) ? "as after it" : "as before it") + ")";
        return String.format(Locale.ROOT, "%s %s, killed after %d ms; ready again %.1f s after the kill; then processing"
                + " back to normal in %.1f s, members, log and Google's list right in %.1f s", write.what(), state, delay,
                ready, processing, total - ready);
    }

    /** The dataset's rows as the API shows them, without the key column (it is the row's key). */
    private Map<String, Map<String, String>> rows() throws IOException, InterruptedException {
        Map<String, Map<String, String>> rows = api.rows(datasetId);
        rows.values().forEach(v -> v.remove("customer_id"));
        return rows;
    }

    private Write plan(Operation op) {
        Map<String, Map<String, String>> after = new LinkedHashMap<>(model);
        List<String> keys = new ArrayList<>(model.keySet());
        switch (op) {
            case UPLOAD, RUN -> {
                int n = 1 + random.nextInt(Math.max(1, rows / 4));
                for (int i = 0; i < n; i++) {
                    if (random.nextInt(4) == 0 || keys.isEmpty()) {
                        after.put(key(nextKey++), person());
                    } else {
                        String k = keys.get(random.nextInt(keys.size()));
                        Map<String, String> v = new LinkedHashMap<>(after.get(k));
                        v.put("plan", v.get("plan").equals("pro") ? "free" : "pro");
                        if (random.nextBoolean()) {
                            v.put("email", "moved" + random.nextInt(1_000_000_000) + "@example.com");
                        }
                        after.put(k, v);
                    }
                }
                return new Write("an upload of " + n + " rows", model, after);
            }
            case ROW_WRITE -> {
                String k = keys.get(random.nextInt(keys.size()));
                if (random.nextBoolean()) {
                    after.remove(k);
                    return new Write("a row deletion", model, after);
                }
                Map<String, String> v = new LinkedHashMap<>(after.get(k));
                v.put("plan", v.get("plan").equals("pro") ? "free" : "pro");
                after.put(k, v);
                return new Write("a row replacement", model, after);
            }
            default -> {
                return new Write("a sync", model, model);
            }
        }
    }

    /** The rows a write changes or adds. */
    private static Map<String, Map<String, String>> changed(Write w) {
        Map<String, Map<String, String>> changed = new LinkedHashMap<>();
        w.after().forEach((k, v) -> {
            if (!v.equals(w.before().get(k))) {
                changed.put(k, v);
            }
        });
        return changed;
    }

    private static String removedKey(Write w) {
        return w.before().keySet().stream().filter(k -> !w.after().containsKey(k)).findFirst().orElseThrow();
    }

    private static String json(Map<String, String> values) {
        var b = Json.createObjectBuilder();
        values.forEach(b::add);
        return b.build().toString();
    }

    private static String difference(Map<String, Map<String, String>> expected, Map<String, Map<String, String>> found) {
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(found.keySet());
        List<String> diff = new ArrayList<>();
        for (String k : keys) {
            if (!Objects.equals(expected.get(k), found.get(k))) {
                diff.add(k + ": expected " + expected.get(k) + ", found " + found.get(k));
            }
            if (diff.size() >= 5) {
                break;
            }
        }
        return diff.size() + "+ rows differ, e.g. " + diff;
    }

    private FaultChecks checks() {
        return new FaultChecks(api, google, meta, segmentId);
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
