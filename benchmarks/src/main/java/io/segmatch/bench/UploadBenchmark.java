package io.segmatch.bench;

import io.segmatch.fake.google.FakeGoogle;
import io.segmatch.fake.meta.FakeMeta;
import io.segmatch.launcher.Launcher;
import io.segmatch.launcher.LocalServer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The upload benchmark: generates a deterministic customer CSV (13 columns) and a copy
 * with 10% of its rows changed, uploads both through the HTTP API of a Segmatch it starts
 * (embedded PostgreSQL, Payara Micro with a capped heap) or of a running one
 * ({@code --url}), and prints rows/s and the server's peak heap.
 */
public final class UploadBenchmark {

    private UploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(Launcher.setting(args, "--rows", "segmatch.bench.rows", "1000000"));
        String heap = Launcher.setting(args, "--heap", "segmatch.bench.heap", "512m");
        MembershipBenchmark.patience = Duration.ofMinutes(10L * Math.max(1, (rows + 999_999) / 1_000_000));
        MembershipBenchmark.count = Integer.parseInt(Launcher.setting(args, "--segments", "segmatch.bench.segments", "10"));
        String url = Launcher.setting(args, "--url", "segmatch.bench.url", null);
        Path dir = Path.of(Launcher.setting(args, "--dir", "segmatch.bench.dir", "target/bench"));
        String existing = Launcher.setting(args, "--dataset", "segmatch.bench.dataset", null);
        BenchAuth.useToken(Launcher.setting(args, "--token", "segmatch.bench.token", null));
        if (url != null && existing != null) {
            // only the previews, on a dataset the running server already holds (the benchmark's own, or yours)
            String base = url.endsWith("/") ? url : url + "/";
            previews(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), base, existing);
            return;
        }

        Files.createDirectories(dir);
        Figures.current = new Figures(rows, MembershipBenchmark.count);
        Files.deleteIfExists(dir.resolve(Figures.FILE));
        Path first = dir.resolve("customers-" + rows + ".csv");
        Path changed = dir.resolve("customers-" + rows + "-changed.csv");
        long t0 = System.nanoTime();
        generate(first, rows, false);
        generate(changed, rows, true);
        System.out.printf(Locale.ROOT, "generated %,d rows: %s (%,d bytes) and %s in %.1f s%n", rows, first,
                Files.size(first), changed.getFileName(), (System.nanoTime() - t0) / 1e9);

        LocalServer server = null;
        Path data = dir.resolve("data");
        // Google and Meta, faked on loopback in this JVM: the activation part syncs a segment to them
        FakeGoogle google = url == null ? FakeGoogle.start() : null;
        FakeMeta meta = url == null ? FakeMeta.start() : null;
        if (google != null) {
            google.recordBodies(false);
        }
        try {
            String base;
            if (url == null) {
                deleteRecursively(data);
                String password = UUID.randomUUID().toString();
                List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-Xms" + heap,
                        "-Dsegmatch.admin.initial-password=" + password));
                options.addAll(ActivationBenchmark.serverOptions(google, meta));
                // every sync measured is one the benchmark asks for, after the fake Google has finished the
                // jobs before it: the timer's own polls of a waiting job (due 30 s after the last sync) came
                // while the fake applied ten million people in this JVM, and recorded their acknowledgement
                // on processors the fake was using (run AH: 46.93 s, 33.03-35.76 s in AG and AI)
                options.add("-Dsegmatch.activation.poll-interval=PT1H");
                var settings = new LocalServer.Settings(LauncherHome.get(), data, LocalServer.freePort(),
                        options, Launcher.database(args), "127.0.0.1",
                        Launcher.setting(args, "--db-shared-buffers", "segmatch.db.shared-buffers", null));
                server = LocalServer.start(settings, Duration.ofMinutes(5));
                base = server.baseUrl();
                BenchAuth.login(HttpClient.newHttpClient(), base, "admin", password);
            } else {
                base = url.endsWith("/") ? url : url + "/";
            }
            HeapProbe heapProbe = server == null ? null : HeapProbe.attach(server.process().pid());
            boolean explain = Arrays.asList(args).contains("--explain");
            BenchDatabase db = BenchDatabase.open(server != null ? server.database() : Launcher.database(args), explain);

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            double reference = db == null ? 0 : db.referenceLoad(first);
            if (db != null) {
                Figures.current.put("reference", reference);
                System.out.printf(Locale.ROOT, "reference     %,d rows in %.2f s: PostgreSQL alone (COPY of the file, "
                        + "then the same jsonb rows with their primary key)%n", rows, reference);
                db.settle("the first upload");
            }
            Result created = upload(http, URI.create(base + "api/datasets?name=bench&key=customer_id"), first);
            String datasetId = BenchJson.field(created.body, "datasetId");
            report("first upload", rows, created);
            Figures.current.put("upload", created.seconds);
            if (db != null) {
                System.out.printf(Locale.ROOT, "first upload / reference = %.2f%n", created.seconds / reference);
            }
            // every measured phase starts from the state autovacuum leaves a minute after a big
            // write: statistics that say one dataset holds every row (plans must not depend on it)
            settle(db, "building the segments", args);
            List<String> segments = MembershipBenchmark.createSegments(http, base, datasetId);
            settle(db, "the full rebuild", args);
            MembershipBenchmark.rebuildSegments(http, base, datasetId, segments);
            settle(db, "the 10%-changed re-upload", args);
            if (db != null) {
                db.layout("before the re-upload");
            }
            BenchDatabase.Io io = db == null ? null : db.io();
            Result again = upload(http, URI.create(base + "api/datasets/" + datasetId + "/uploads?mode=upsert"), changed);
            long responded = System.nanoTime();
            if (db != null) {
                io = db.reportIo("the re-upload", io);
            }
            if (db != null) {
                db.explainClaim(datasetId, 1000);
            }
            report("10% changed", rows, again);
            Figures.current.put("reupload", again.seconds);
            if (db != null) {
                System.out.printf(Locale.ROOT, "10%% changed / reference = %.2f%n", again.seconds / reference);
            }
            MembershipBenchmark.afterUpload(http, base, responded, Long.parseLong(BenchJson.field(again.body, "updated")));
            if (db != null) {
                db.reportIo("the membership run after it (from the upload's response until no change was pending)", io);
            }
            settle(db, "the previews", args);
            if (db != null) {
                db.layout("after the membership run");
            }
            if (Arrays.asList(args).contains("--stop-after-incremental")) {
                // the database as the incremental run left it stays in DIR/data (until the next run) for a closer look
                System.out.println("stopped after the incremental run (--stop-after-incremental)");
                written(dir);
                if (db != null) {
                    db.close();
                }
                return;
            }
            previews(http, base, datasetId);
            if (google != null) {
                settle(db, "the syncs", args);
                ActivationBenchmark.run(http, base, google, meta, datasetId, segments.get(0), changed, dir);
                settle(db, "the segment of every row", args);
                ActivationBenchmark.wholeDataset(http, base, google, datasetId, first, dir,
                        () -> settle(db, "the next step of the every-row segment's syncs", args));
            }
            if (db != null) {
                db.diskReport(rows);
                db.close();
            }
            if (heapProbe != null) {
                System.out.println(heapProbe.report(heap));
                heapProbe.close();
            }
            written(dir);
        } finally {
            if (server != null) {
                server.close();
            }
            if (google != null) {
                google.close();
            }
            if (meta != null) {
                meta.close();
            }
        }
    }

    /** Writes the run's figures next to its CSVs and says how to set them beside other runs'. */
    private static void written(Path dir) throws IOException {
        Path file = dir.resolve(Figures.FILE);
        Figures.current.write(file);
        // this run's own bars (those of a 1M, 10-segment run; the heap's at any size): growth needs other runs
        for (Growth.Check check : Growth.checks(List.of(new Growth.Run("this run", Figures.current)))) {
            System.out.println(check.line());
        }
        System.out.println("figures: " + file + " (set runs side by side, every target checked: "
                + "java -cp benchmarks/target/segmatch-benchmarks.jar io.segmatch.bench.Growth DIR...)");
    }

    /** Tables vacuumed and fresh statistics before a phase, or (without a database connection) {@code --settle} seconds for autovacuum. */
    static void settle(BenchDatabase db, String phase, String[] args) throws Exception {
        if (db != null) {
            db.settle(phase);
        } else {
            Thread.sleep(Long.parseLong(Launcher.setting(args, "--settle", "segmatch.bench.settle", "30")) * 1000);
        }
    }

    /**
     * Preview latency through HTTP: 50 requests each over the first 10,000 rows and over all rows,
     * after a warm-up (300 requests of the first, 20 of the second).
     */
    static void previews(HttpClient http, String base, String datasetId) throws IOException, InterruptedException {
        String conditions = "\"logic\": \"AND\", \"conditions\": ["
                + "{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"de\"},"
                + "{\"field\": \"lifetime_value\", \"operator\": \"gt\", \"value\": 1000},"
                + "{\"field\": \"plan\", \"operator\": \"in\", \"value\": [\"pro\", \"team\"]}]";
        for (int limit : new int[]{10_000, 0}) {
            String body = "{\"datasetId\": \"" + datasetId + "\", " + conditions + ", \"limit\": " + limit + "}";
            HttpRequest request = BenchAuth.request(URI.create(base + "api/segments/preview"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            // warm-up: a running server is warm, and so must this client be: after 20 requests of 10,000 rows the
            // next 50 took 11.4 ms (p50) against 3.9-6.7 ms once both sides had answered 300 (curl: 4 ms)
            for (int i = 0; i < (limit == 0 ? 20 : 300); i++) {
                http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            double[] ms = new double[50];
            String last = "";
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                ms[i] = (System.nanoTime() - t0) / 1e6;
                if (response.statusCode() != 200) {
                    throw new IOException("preview failed with " + response.statusCode() + ": " + response.body());
                }
                last = response.body();
            }
            Arrays.sort(ms);
            String name = limit == 0 ? "preview-all" : "preview-10k";
            Figures.current.put(name + "-p50", ms[24]);
            Figures.current.put(name + "-p95", ms[47]);
            System.out.printf(Locale.ROOT, "preview %-12s 50 requests: p50 %.1f ms, p95 %.1f ms, max %.1f ms "
                            + "(count %s of %s scanned)%n", limit == 0 ? "all rows" : limit + " rows", ms[24], ms[47],
                    ms[49], BenchJson.field(last, "count"), BenchJson.field(last, "scanned"));
        }
    }

    record Result(int status, String body, double seconds) {
    }

    static Result upload(HttpClient http, URI uri, Path file) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        var response = http.send(BenchAuth.request(uri).header("Content-Type", "text/csv")
                .timeout(MembershipBenchmark.patience)
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (response.statusCode() / 100 != 2) {
            throw new IOException("upload failed with " + response.statusCode() + ": " + response.body());
        }
        return new Result(response.statusCode(), response.body(), seconds);
    }

    static void report(String label, int rows, Result r) {
        System.out.printf(Locale.ROOT, "%-13s %,d rows in %.2f s = %,.0f rows/s (inserted %s, updated %s, unchanged %s)%n",
                label, rows, r.seconds, rows / r.seconds, BenchJson.field(r.body, "inserted"), BenchJson.field(r.body, "updated"),
                BenchJson.field(r.body, "unchanged"));
    }


    /** Writes the customer file; {@code changed} alters every tenth row (same seed otherwise). */
    static void generate(Path file, int rows, boolean changed) throws IOException {
        if (Files.exists(file) && Files.size(file) > 0) {
            return;
        }
        String[] first = {"Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo", "Ida", "Jonas", "Lena", "Max"};
        String[] last = {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"};
        String[] countries = {"DE", "FR", "US", "GB", "NL", "AT", "CH", "ES", "IT", "PL"};
        String[] cities = {"Berlin", "Paris", "New York", "London", "Amsterdam", "Wien", "Zürich", "Madrid", "Roma", "Kraków"};
        String[] plans = {"free", "basic", "pro", "team", "enterprise"};
        Random random = new Random(42);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            out.write("customer_id,email,phone,first_name,last_name,country,city,plan,lifetime_value,orders_count,"
                    + "signup_date,last_seen_at,newsletter\n");
            StringBuilder line = new StringBuilder(256);
            for (int i = 1; i <= rows; i++) {
                int c = random.nextInt(countries.length);
                String fn = first[random.nextInt(first.length)];
                String ln = last[random.nextInt(last.length)];
                int plan = random.nextInt(plans.length);
                long cents = random.nextInt(500_000);
                int orders = random.nextInt(200);
                int signupDay = random.nextInt(3000);
                long seen = random.nextInt(86_400 * 365);
                boolean news = random.nextBoolean();
                random.nextInt(900_000_000); // the draw that phones once took: the other columns stay as they were
                // a phone of its own per row (104,729 is prime to 900,000,000): two customers sharing a phone
                // would be one person to Google, and a remove of one would take the other out of the list
                long phone = 1_000_000_000L + i * 104_729L % 900_000_000L;
                if (changed && i % 10 == 0) {
                    cents += 1234;
                    orders += 1;
                    seen += 3600;
                }
                line.setLength(0);
                line.append("C").append(String.format(Locale.ROOT, "%08d", i)).append(',')
                        .append(fn.toLowerCase(Locale.ROOT)).append('.').append(i).append("@example.com,")
                        .append("+49").append(phone).append(',')
                        .append(fn).append(',').append(ln).append(',')
                        .append(countries[c]).append(',').append(cities[c]).append(',')
                        .append(plans[plan]).append(',')
                        .append(cents / 100).append('.').append(String.format(Locale.ROOT, "%02d", cents % 100)).append(',')
                        .append(orders).append(',')
                        .append(LocalDate.of(2018, 1, 1).plusDays(signupDay)).append(',')
                        .append(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seen)).append(',')
                        .append(news).append('\n');
                out.append(line);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
