package io.segmatch.launcher;

import io.segmatch.fake.google.FakeGoogle;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The activation part of the benchmark: the first sync of the "country is DE" segment (about
 * 100,000 members) to the fake Google on loopback, then the sync after 10% of those members
 * changed (half of them a new email, so removed and added again; half moved to another
 * country, so removed).
 */
final class ActivationBenchmark {

    private ActivationBenchmark() {
    }

    /** The server's settings for syncing to the fake: on-demand syncs only, so the benchmark decides when. */
    static List<String> serverOptions(FakeGoogle google) {
        String fake = google.baseUrl();
        return List.of(
                "-Dsegmatch.googleads.api-url=" + fake,
                "-Dsegmatch.googleads.datamanager-url=" + fake,
                "-Dsegmatch.googleads.oauth.token-url=" + fake + "/token",
                "-Dsegmatch.googleads.oauth.auth-url=" + fake + "/auth",
                "-Dsegmatch.googleads.oauth.client-id=" + FakeGoogle.CLIENT_ID,
                "-Dsegmatch.googleads.oauth.client-secret=" + FakeGoogle.CLIENT_SECRET,
                "-Dsegmatch.googleads.oauth.refresh-token=" + FakeGoogle.REFRESH_TOKEN,
                "-Dsegmatch.googleads.customer-id=123-456-7890",
                "-Dsegmatch.activation.interval=PT1H");
    }

    /**
     * Activates the first benchmark segment ({@code country eq "de"}, as rebuilt by the
     * membership part) and measures its first sync, then the sync after 10% of its members changed.
     */
    static void run(HttpClient http, String base, FakeGoogle google, String datasetId, String segmentId, Path csv,
                    Path dir) throws Exception {
        var identifiers = MembershipBenchmark.send(http, HttpRequest.newBuilder(URI.create(base + "api/datasets/" + datasetId))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "{\"identifiers\": {\"email\": \"email\", \"phone\": \"phone\", \"firstName\": \"first_name\", "
                                + "\"lastName\": \"last_name\", \"countryCode\": \"country\", \"defaultPhoneRegion\": \"DE\"}}")));
        check(identifiers.statusCode() == 200, "identifier roles: " + identifiers.body());
        // the same rule the segment has now (so no rebuild), with Customer Match switched on
        String body = "{\"name\": \"bench 1\", \"datasetId\": \"" + datasetId + "\", " + MembershipBenchmark.rebuiltRule(0)
                + ", \"activation\": {\"googleAds\": {\"enabled\": true, \"userList\": null, "
                + "\"consent\": {\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"}}}}";
        var activated = MembershipBenchmark.send(http, HttpRequest.newBuilder(URI.create(base + "api/segments/" + segmentId))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        check(activated.statusCode() == 200, "activation: " + activated.body());
        long members = Long.parseLong(UploadBenchmark.field(activated.body(), "memberCount"));

        String first = sync(http, base, google, segmentId, 0);
        report("first sync", first, google, members);

        // 10% of the members change: every tenth DE row, alternately a new email and a move to FR
        Path changes = dir.resolve("de-members-changed.csv");
        int changed = writeChanges(csv, changes);
        long t0 = System.nanoTime();
        var upload = UploadBenchmark.upload(http, URI.create(base + "api/datasets/" + datasetId + "/uploads?mode=upsert"), changes);
        MembershipBenchmark.waitFor(http, base + "api/processing", b -> "0".equals(UploadBenchmark.field(b, "pendingChanges"))
                && "false".equals(UploadBenchmark.field(b, "running")), Duration.ofMinutes(10));
        double evaluated = (System.nanoTime() - t0) / 1e9;
        String segment = MembershipBenchmark.send(http, HttpRequest.newBuilder(URI.create(base + "api/segments/" + segmentId)).GET()).body();
        long now = Long.parseLong(UploadBenchmark.field(segment, "memberCount"));
        System.out.printf(Locale.ROOT, "%,d of the segment's members changed (upsert of %s rows: %s updated); evaluated %.2f s "
                + "after the upload started; the segment now has %,d members%n", changed, changed,
                UploadBenchmark.field(upload.body(), "updated"), evaluated, now);
        String second = sync(http, base, google, segmentId, 1);
        report("sync after 10% changed", second, google, now);
    }

    /** Asks for a sync and waits for the segment's next completed run; returns that run's JSON. */
    private static String sync(HttpClient http, String base, FakeGoogle google, String segmentId, int before) throws Exception {
        var started = MembershipBenchmark.send(http, HttpRequest.newBuilder(URI.create(base + "api/activation/runs"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        check(started.statusCode() == 202, "sync request: " + started.body());
        String url = base + "api/activation/runs?segmentId=" + segmentId + "&limit=100";
        MembershipBenchmark.waitFor(http, url, b -> ended(b).size() > before, Duration.ofMinutes(10));
        // newest first
        return ended(MembershipBenchmark.send(http, HttpRequest.newBuilder(URI.create(url)).GET()).body()).get(0);
    }

    /**
     * The segment's runs that ended well, newest first: "completed", or "waiting" (everything
     * sent and the job run; Google's processing is confirmed by the next sync).
     */
    private static List<String> ended(String runs) {
        if (runs.contains("\"status\":\"failed\"")) {
            throw new IllegalStateException("a sync failed: " + runs);
        }
        return MembershipBenchmark.objects(runs).stream()
                .filter(r -> r.contains("\"status\":\"completed\"") || r.contains("\"status\":\"waiting\"")).toList();
    }

    private static void report(String label, String run, FakeGoogle google, long members) {
        String list = null;
        for (String l : google.userLists()) {
            list = l;
        }
        Instant started = Instant.parse(UploadBenchmark.field(run, "startedAt"));
        Instant ended = Instant.parse(UploadBenchmark.field(run, "endedAt"));
        long skipped = Long.parseLong(UploadBenchmark.field(run, "skipped"));
        // the fake finishes the job at the end of its processing time (0.3 s after :run)
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int size = google.size(list);
        while (size != members - skipped && System.nanoTime() < deadline) {
            sleep(20);
            size = google.size(list);
        }
        check(size == members - skipped, label + ": the fake's list holds " + size + " people, the segment "
                + members + " members of whom " + skipped + " cannot be sent");
        Instant complete = google.changedAt(list);
        System.out.printf(Locale.ROOT, "%s: %s added and %s removed (planned), %s sent; the fake held all %,d members "
                        + "%.2f s after the sync started; the sync run %.2f s%n", label,
                UploadBenchmark.field(run, "plannedAdds"), UploadBenchmark.field(run, "plannedRemoves"),
                UploadBenchmark.field(run, "sent"), size, Duration.between(started, complete).toMillis() / 1000.0,
                Duration.between(started, ended).toMillis() / 1000.0);
    }

    /** Every tenth DE row of the generated file, alternately with a new email or moved to FR. */
    private static int writeChanges(Path csv, Path out) throws IOException {
        int de = 0;
        int changed = 0;
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(in.readLine());
            w.write('\n');
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] v = line.split(",", -1);
                if (!v[5].equals("DE") || de++ % 10 != 0) {
                    continue;
                }
                if (changed++ % 2 == 0) {
                    v[1] = "new." + v[1];
                } else {
                    v[5] = "FR";
                }
                w.write(String.join(",", v));
                w.write('\n');
            }
        }
        return changed;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
