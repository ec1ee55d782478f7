package io.segmatch.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The membership part of the benchmark: ten segments (or {@code --segments}) of mixed operators on the big dataset
 * (built by the processing run the timer starts), then, after the 10%-changed re-upload, the
 * time until every change is evaluated and the run's own time.
 */
final class MembershipBenchmark {

    static final List<String> SEGMENTS = List.of(
            "\"logic\": \"AND\", \"conditions\": [{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"de\"}]",
            "\"logic\": \"AND\", \"conditions\": [{\"field\": \"lifetime_value\", \"operator\": \"gt\", \"value\": 2500}]",
            "\"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"in\", \"value\": [\"pro\", \"team\", \"enterprise\"]}]",
            "\"logic\": \"AND\", \"conditions\": [{\"field\": \"country\", \"operator\": \"neq\", \"value\": \"DE\"}, "
                    + "{\"field\": \"newsletter\", \"operator\": \"eq\", \"value\": true}]",
            "\"logic\": \"AND\", \"conditions\": [{\"field\": \"signup_date\", \"operator\": \"between\", "
                    + "\"value\": [\"2020-01-01\", \"2021-12-31\"]}]",
            "\"logic\": \"AND\", \"conditions\": [{\"field\": \"last_seen_at\", \"operator\": \"in_last_days\", \"value\": 30}]",
            "\"logic\": \"AND\", \"conditions\": [{\"field\": \"email\", \"operator\": \"ends_with\", \"value\": \"@example.com\"}, "
                    + "{\"field\": \"orders_count\", \"operator\": \"gte\", \"value\": 100}]",
            "\"logic\": \"OR\", \"conditions\": [{\"field\": \"city\", \"operator\": \"contains\", \"value\": \"er\"}, "
                    + "{\"field\": \"first_name\", \"operator\": \"starts_with\", \"value\": \"an\"}]",
            "\"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"not_in\", \"value\": [\"free\", \"basic\"]}, "
                    + "{\"field\": \"lifetime_value\", \"operator\": \"between\", \"value\": [100, 1000]}]",
            "\"logic\": \"AND\", \"conditions\": [{\"field\": \"phone\", \"operator\": \"is_set\"}, "
                    + "{\"field\": \"country\", \"operator\": \"in\", \"value\": [\"AT\", \"CH\"]}]");

    /** How many segments the benchmark makes ({@code --segments}, 10 by default). */
    static int count = SEGMENTS.size();
    /** How long a phase may take before the benchmark gives up: ten minutes per million rows. */
    static Duration patience = Duration.ofMinutes(10);

    private MembershipBenchmark() {
    }

    /**
     * The i-th segment's rule: the ten above, then the same ten again and again, each round
     * with one more condition first ({@code orders_count >= round}), so that no two are alike.
     */
    static String segment(int i) {
        String rule = SEGMENTS.get(i % SEGMENTS.size());
        int round = i / SEGMENTS.size();
        return round == 0 ? rule : rule.replace("\"conditions\": [", "\"conditions\": [{\"field\": \"orders_count\", "
                + "\"operator\": \"gte\", \"value\": " + round + "}, ");
    }

    /** Creates the ten segments and waits until the processing run has built them all. */
    static List<String> createSegments(HttpClient http, String base, String datasetId) throws Exception {
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        Instant created = Instant.now();
        for (int i = 0; i < count; i++) {
            String body = "{\"name\": \"bench " + (i + 1) + "\", \"datasetId\": \"" + datasetId + "\", " + segment(i) + "}";
            var response = send(http, BenchAuth.request(URI.create(base + "api/segments"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
            if (response.statusCode() != 201) {
                throw new IOException("segment creation failed with " + response.statusCode() + ": " + response.body());
            }
            ids.add(BenchJson.field(response.body(), "id"));
        }
        StringBuilder counts = new StringBuilder();
        for (String id : ids) {
            String segment = waitFor(http, base + "api/segments/" + id, b -> "live".equals(BenchJson.field(b, "status"))
                    || "failed".equals(BenchJson.field(b, "status")), patience);
            if (!"live".equals(BenchJson.field(segment, "status"))) {
                throw new IOException("segment " + id + " failed: " + segment);
            }
            counts.append(counts.length() == 0 ? "" : ", ").append(BenchJson.field(segment, "memberCount"));
        }
        double toLive = (System.nanoTime() - t0) / 1e9;
        // the segments are live when their rebuild commits; the run ends a moment later
        waitFor(http, base + "api/processing", b -> "false".equals(BenchJson.field(b, "running")), patience);
        System.out.printf(Locale.ROOT, "%d segments built over the dataset (every member entered and logged): live %.2f s "
                + "after creation; %s; members %s%n", count, toLive, runTimes(http, base, created, "build"), counts);
        return ids;
    }

    /**
     * A full rebuild of the segments {@link #createSegments} built: each saved with its first
     * condition repeated (the same members by another rule), so each is re-evaluated over every
     * row and nobody moves. Measured, like every other phase, once the build's memberships are
     * vacuumed and analysed ({@code UploadBenchmark.settle}): not on pages whose hint bits the
     * rebuild would set and write for the build, beside an autovacuum of them that may or may
     * not have started.
     */
    static void rebuildSegments(HttpClient http, String base, String datasetId, List<String> ids) throws Exception {
        Instant saved = Instant.now();
        long t1 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String rule = rebuiltRule(i);
            String body = "{\"name\": \"bench " + (i + 1) + "\", \"datasetId\": \"" + datasetId + "\", " + rule + "}";
            var response = send(http, BenchAuth.request(URI.create(base + "api/segments/" + ids.get(i)))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
            if (response.statusCode() != 200) {
                throw new IOException("segment update failed with " + response.statusCode() + ": " + response.body());
            }
        }
        for (String id : ids) {
            waitFor(http, base + "api/segments/" + id, b -> "live".equals(BenchJson.field(b, "status")), patience);
        }
        double rebuilt = (System.nanoTime() - t1) / 1e9;
        waitFor(http, base + "api/processing", b -> "false".equals(BenchJson.field(b, "running")), patience);
        System.out.printf(Locale.ROOT, "full rebuild of the %d segments (each first condition repeated: same members): "
                + "live %.2f s after saving; %s%n",
                count, rebuilt, runTimes(http, base, saved, "rebuild"));
    }

    /** Segment i's rule with its first condition repeated: the same members by another rule. */
    static String rebuiltRule(int i) {
        String rule = segment(i);
        int open = rule.indexOf('{');
        String first = rule.substring(open, rule.indexOf('}', open) + 1);
        return rule.replace("\"conditions\": [", "\"conditions\": [" + first + ", ");
    }

    /**
     * The runs that ended after {@code since} and evaluated segments, and their time (all of it:
     * a run the timer started just before the segments were created builds those it finds),
     * recorded as the figure {@code name}.
     */
    static String runTimes(HttpClient http, String base, Instant since, String name) throws Exception {
        double total = 0;
        int runs = 0;
        for (String run : runs(http, base)) {
            String ended = BenchJson.field(run, "endedAt");
            if (!"null".equals(ended) && Instant.parse(ended).isAfter(since)
                    && !"0".equals(BenchJson.field(run, "segmentsEvaluated"))) {
                total += seconds(run);
                runs++;
            }
        }
        if (runs > 0) {
            Figures.current.put(name, total);
        }
        return String.format(Locale.ROOT, "the %d run(s) that evaluated them took %.2f s in all", runs, total);
    }

    /** After a re-upload's response: the time until no change is pending, and the run's own time. */
    static void afterUpload(HttpClient http, String base, long responseNanos, long changedRows) throws Exception {
        String state = waitFor(http, base + "api/processing", b -> "0".equals(BenchJson.field(b, "pendingChanges"))
                && "false".equals(BenchJson.field(b, "running")), patience);
        double caughtUp = (System.nanoTime() - responseNanos) / 1e9;
        String run = runs(http, base).stream().filter(r -> Long.parseLong(BenchJson.field(r, "rowsEvaluated")) >= changedRows)
                .findFirst().orElse(state);
        double own = seconds(run);
        Figures.current.put("caught-up", caughtUp);
        Figures.current.put("incremental", own);
        System.out.printf(Locale.ROOT, "membership after the re-upload: no change pending %.2f s after the upload's response; "
                        + "the run's own time %.2f s for %s changed rows × %d segments (%s entered, %s exited)%n",
                caughtUp, own, BenchJson.field(run, "rowsEvaluated"), count,
                BenchJson.field(run, "entered"), BenchJson.field(run, "exited"));
    }

    /** How long a run (of processing or of a sync) took, from its start to its end. */
    static double seconds(String run) {
        return Duration.between(Instant.parse(BenchJson.field(run, "startedAt")),
                Instant.parse(BenchJson.field(run, "endedAt"))).toMillis() / 1000.0;
    }

    /** The recent runs, each as its own JSON object text. */
    static List<String> runs(HttpClient http, String base) throws Exception {
        return BenchJson.objects(send(http, BenchAuth.request(URI.create(base + "api/processing/runs?limit=50")).GET()).body());
    }

    static String waitFor(HttpClient http, String url, Predicate<String> done, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String body = send(http, BenchAuth.request(URI.create(url)).GET()).body();
            if (done.test(body)) {
                return body;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("gave up waiting after " + timeout + ": " + body);
            }
            Thread.sleep(100);
        }
    }

    static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
