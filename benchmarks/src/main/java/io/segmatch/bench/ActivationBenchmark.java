package io.segmatch.bench;

import io.segmatch.fake.google.FakeGoogle;
import io.segmatch.fake.meta.FakeMeta;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The activation part of the benchmark: the first sync of the "country is DE" segment (about
 * 100,000 members) to the fake Google on loopback, then the sync after 10% of those members
 * changed (half of them a new email, so removed and added again; half moved to another
 * country, so removed); then the same segment's first sync to the fake Meta, with Google
 * activated too.
 */
final class ActivationBenchmark {

    private ActivationBenchmark() {
    }

    /** The server's settings for syncing to the fakes: on-demand syncs only, so the benchmark decides when. */
    static List<String> serverOptions(FakeGoogle google, FakeMeta meta) {
        List<String> options = new ArrayList<>(google.serverOptions());
        options.addAll(meta.serverOptions());
        options.add("-Dsegmatch.activation.interval=PT1H");
        return options;
    }

    /** What a destination's fake holds of the segment's list or audience. */
    private record Held(String destination, java.util.function.LongSupplier size, java.util.function.Supplier<Instant> changedAt,
                        Runnable settle) {
    }

    private static Held google(FakeGoogle google) {
        return new Held("google-ads", () -> google.size(lastList(google)), () -> google.changedAt(lastList(google)),
                () -> settle(google));
    }

    /**
     * Lets the fake Google finish the jobs it runs (its processing time, then their people applied to
     * their lists) before the next sync asks for their status. The fake applies a job when it is
     * first looked at after its processing time, in this JVM; were that left to the next sync's
     * status read, the fake's own work would count as that sync's: at ten million people it took
     * over 30 s, the read timed out and the sync retried it (run AG: Google's acknowledgement
     * 67.25 s, 35.76 s of it Segmatch's recording of the ten million). Real Google processes a job
     * on its own machines, not on the one under test.
     */
    private static void settle(FakeGoogle google) {
        long deadline = System.nanoTime() + MembershipBenchmark.patience.toNanos();
        // each look applies the jobs whose processing time is over
        while (google.jobs().stream().anyMatch(job -> job.endsWith(" RUNNING"))) {
            check(System.nanoTime() < deadline, "the fake Google's jobs still running after " + MembershipBenchmark.patience);
            sleep(20);
        }
    }


    /**
     * Activates the first benchmark segment ({@code country eq "de"}, as rebuilt by the
     * membership part) and measures its first sync, then the sync after 10% of its members changed.
     */
    static void run(HttpClient http, String base, FakeGoogle google, FakeMeta meta, String datasetId, String segmentId,
                    Path csv, Path dir) throws Exception {
        var identifiers = MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/datasets/" + datasetId))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "{\"identifiers\": {\"email\": \"email\", \"phone\": \"phone\", \"firstName\": \"first_name\", "
                                + "\"lastName\": \"last_name\", \"countryCode\": \"country\", \"defaultPhoneRegion\": \"DE\"}}")));
        check(identifiers.statusCode() == 200, "identifier roles: " + identifiers.body());
        // the same rule the segment has now (so no rebuild), with Customer Match switched on
        String body = "{\"name\": \"bench 1\", \"datasetId\": \"" + datasetId + "\", " + MembershipBenchmark.rebuiltRule(0)
                + ", \"activation\": {\"googleAds\": {\"enabled\": true, \"userList\": null, "
                + "\"consent\": {\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"}}}}";
        var activated = MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/segments/" + segmentId))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        check(activated.statusCode() == 200, "activation: " + activated.body());
        long members = Long.parseLong(BenchJson.field(activated.body(), "memberCount"));

        syncUntilInStep(http, base, google(google), segmentId, "first sync", "google-first", members);

        // 10% of the members change: every tenth DE row, alternately a new email and a move to FR
        Path changes = dir.resolve("de-members-changed.csv");
        int changed = writeChanges(csv, changes);
        long t0 = System.nanoTime();
        var upload = UploadBenchmark.upload(http, URI.create(base + "api/datasets/" + datasetId + "/uploads?mode=upsert"), changes);
        MembershipBenchmark.waitFor(http, base + "api/processing", b -> "0".equals(BenchJson.field(b, "pendingChanges"))
                && "false".equals(BenchJson.field(b, "running")), MembershipBenchmark.patience);
        double evaluated = (System.nanoTime() - t0) / 1e9;
        String segment = MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/segments/" + segmentId)).GET()).body();
        long now = Long.parseLong(BenchJson.field(segment, "memberCount"));
        System.out.printf(Locale.ROOT, "%,d of the segment's members changed (upsert of %s rows: %s updated); evaluated %.2f s "
                + "after the upload started; the segment now has %,d members%n", changed, changed,
                BenchJson.field(upload.body(), "updated"), evaluated, now);
        syncUntilInStep(http, base, google(google), segmentId, "sync after 10% changed", "google-after-10pct", now);

        // the same segment to Meta as well: Google's list stays as it is, Meta's audience is made and filled
        String list = BenchJson.field(segment, "userList");
        String both = "{\"name\": \"bench 1\", \"datasetId\": \"" + datasetId + "\", " + MembershipBenchmark.rebuiltRule(0)
                + ", \"activation\": {\"googleAds\": {\"enabled\": true, \"userList\": \"" + list + "\", "
                + "\"consent\": {\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"}}, "
                + "\"meta\": {\"enabled\": true, \"audienceId\": null}}}";
        var withMeta = MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/segments/" + segmentId))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(both)));
        check(withMeta.statusCode() == 200, "Meta activation: " + withMeta.body());
        String[] audience = new String[1];
        // the fake Meta applies each request's people as it answers it: nothing is left for later
        Held metaHeld = new Held("meta", () -> audience[0] == null ? 0 : meta.audienceSizes().getOrDefault(audience[0], 0),
                () -> meta.changedAt(audience[0]), () -> { });
        syncUntilInStep(http, base, metaHeld, segmentId, "Meta first sync", "meta-first", now, () -> {
            String s = MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/segments/" + segmentId)).GET()).body();
            audience[0] = BenchJson.field(s, "audienceId");
        });
    }

    /**
     * A segment of every row (one member per row), activated: its first sync, then the syncs
     * after 1,000 of its members got a new email (each removed with its old identifiers, then
     * added with the new: two plans that look only at those 1,000). {@code settle} runs after the
     * segment is built and after each sync of its first sync, so that the first sync's plan and
     * the recording of Google's acknowledgement each start, like every other measured phase, on
     * tables vacuumed, analysed and checkpointed, with no autovacuum of the build's memberships
     * or of the job's people running beside them (as on a server, where the next sync comes
     * minutes later).
     */
    static void wholeDataset(HttpClient http, String base, FakeGoogle google, String datasetId, Path csv, Path dir,
                             ThrowingRunnable settle) throws Exception {
        String body = "{\"name\": \"everyone\", \"datasetId\": \"" + datasetId + "\", \"logic\": \"AND\", "
                + "\"conditions\": [{\"field\": \"email\", \"operator\": \"is_set\"}], "
                + "\"activation\": {\"googleAds\": {\"enabled\": true, \"userList\": null, "
                + "\"consent\": {\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"}}}}";
        Instant creating = Instant.now();
        var created = MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/segments"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        check(created.statusCode() == 201, "segment of every row: " + created.body());
        String segmentId = BenchJson.field(created.body(), "id");
        String url = base + "api/segments/" + segmentId;
        MembershipBenchmark.waitFor(http, url, b -> "live".equals(BenchJson.field(b, "status")), MembershipBenchmark.patience);
        // the segment is live when its build commits; the run ends a moment later
        MembershipBenchmark.waitFor(http, base + "api/processing", b -> "false".equals(BenchJson.field(b, "running")),
                MembershipBenchmark.patience);
        System.out.printf(Locale.ROOT, "segment of every row built: %s%n",
                MembershipBenchmark.runTimes(http, base, creating, "every-row-build"));
        long members = Long.parseLong(BenchJson.field(MembershipBenchmark.send(http,
                BenchAuth.request(URI.create(url)).GET()).body(), "memberCount"));
        settle.run();
        List<String> first = syncUntilInStep(http, base, google(google), segmentId, "first sync of every row",
                "every-row-first", members, settle);
        // the recording of what Google acknowledged of every row: the first sync's jobs (one
        // each million people), each recorded by the sync after the one that sent it
        double recorded = recorded(http, base, segmentId, first.get(0));
        Figures.current.put("every-row-ack", recorded);
        System.out.printf(Locale.ROOT, "every row's acknowledgement recorded in %.2f s in all (%s)%n", recorded,
                jobs(http, base, segmentId, first.get(0)));

        Path changes = dir.resolve("thousand-new-emails.csv");
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(changes, StandardCharsets.UTF_8)) {
            w.write(in.readLine());
            w.write('\n');
            int n = 0;
            for (String line = in.readLine(); line != null && n < 1000; line = in.readLine()) {
                String[] v = line.split(",", -1);
                n++;
                v[1] = "renamed." + v[1];
                w.write(String.join(",", v));
                w.write('\n');
            }
        }
        var upload = UploadBenchmark.upload(http, URI.create(base + "api/datasets/" + datasetId + "/uploads?mode=upsert"), changes);
        MembershipBenchmark.waitFor(http, base + "api/processing", b -> "0".equals(BenchJson.field(b, "pendingChanges"))
                && "false".equals(BenchJson.field(b, "running")), MembershipBenchmark.patience);
        System.out.printf(Locale.ROOT, "1,000 members of every-row segment got a new email (upsert: %s updated)%n",
                BenchJson.field(upload.body(), "updated"));
        List<String> after = syncUntilInStep(http, base, google(google), segmentId, "sync after 1,000 new emails",
                "emails-in-step", members);
        // the first removes the old identifiers, the second adds the new
        String[] plans = {"emails-plan-removes", "emails-plan-adds"};
        for (int i = 0; i < Math.min(plans.length, after.size()); i++) {
            if (after.get(i).contains("\"plan\":")) {
                Figures.current.put(plans[i], planSeconds(after.get(i)));
            }
        }
    }

    private static List<String> syncUntilInStep(HttpClient http, String base, Held held, String segmentId, String label,
                                                String figure, long members) throws Exception {
        return syncUntilInStep(http, base, held, segmentId, label, figure, members, () -> { });
    }

    /**
     * Asks for syncs until one to the destination finds nothing left to send and the fake's
     * list or audience holds exactly the segment's members (one job per list at a time: removes
     * go first, so changed people are added by the next sync; a plan of more than a million
     * goes in several jobs, each sent by the sync that sees the one before it finish). The time
     * reported is the syncs' own until the list last changed ({@link #report}; recorded as the
     * figure {@code figure}, the first sync's plan as {@code figure-plan}). {@code afterEach} runs
     * after each sync, once the fake finished the jobs it ran. Returns the syncs, oldest first.
     */
    private static List<String> syncUntilInStep(HttpClient http, String base, Held held, String segmentId, String label,
                                                String figure, long members, ThrowingRunnable afterEach) throws Exception {
        String url = base + "api/activation/runs?segmentId=" + segmentId + "&destination=" + held.destination() + "&limit=100";
        List<String> runs = new ArrayList<>();
        // the fake runs a job for 0.3 s, so each sync sends one job of a plan: ten million people take ten
        for (int attempt = 0; attempt < 30; attempt++) {
            int before = ended(MembershipBenchmark.send(http, BenchAuth.request(URI.create(url)).GET()).body()).size();
            var started = MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/activation/runs"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            check(started.statusCode() == 202, "sync request: " + started.body());
            MembershipBenchmark.waitFor(http, url, b -> ended(b).size() > before, MembershipBenchmark.patience);
            // newest first
            runs.add(ended(MembershipBenchmark.send(http, BenchAuth.request(URI.create(url)).GET()).body()).get(0));
            String run = runs.get(runs.size() - 1);
            long skipped = Long.parseLong(BenchJson.field(run, "skipped"));
            // a sync that only sent the next job of a plan planned nothing, but made no plan either
            boolean plannedNothing = run.contains("\"plan\":") && "0".equals(BenchJson.field(run, "plannedAdds"))
                    && "0".equals(BenchJson.field(run, "plannedRemoves"));
            // the fake applies its jobs before afterEach runs: afterEach never delays the list's last change
            held.settle().run();
            afterEach.run();
            // in step: a sync found nothing left to send, and the fake's list holds every member
            if (plannedNothing && fakeHolds(held, members - skipped)) {
                report(label, figure, runs, held);
                return runs;
            }
        }
        throw new IllegalStateException(label + ": the fake's list is not in step after 30 syncs: " + runs);
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Whether the fake's list comes to hold this many people (Google's job finishes 0.3 s after :run). */
    private static boolean fakeHolds(Held held, long people) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (held.size().getAsLong() != people && System.nanoTime() < deadline) {
            sleep(20);
        }
        return held.size().getAsLong() == people;
    }

    private static String lastList(FakeGoogle google) {
        List<String> lists = google.userLists();
        return lists.get(lists.size() - 1);
    }

    /**
     * The segment's runs that ended well, newest first: "completed", or "waiting" (everything
     * sent and the job run; Google's processing is confirmed by the next sync).
     */
    private static List<String> ended(String runs) {
        if (runs.contains("\"status\":\"failed\"")) {
            throw new IllegalStateException("a sync failed: " + runs);
        }
        return BenchJson.objects(runs).stream()
                .filter(r -> r.contains("\"status\":\"completed\"") || r.contains("\"status\":\"waiting\"")).toList();
    }

    /** The jobs {@code run} planned, as the API shows them now (recorded or not). */
    private static List<String> jobs(HttpClient http, String base, String segmentId, String run) throws Exception {
        String id = BenchJson.field(run, "id");
        String runs = MembershipBenchmark.send(http, BenchAuth.request(URI.create(base + "api/activation/runs?segmentId="
                + segmentId + "&limit=100")).GET()).body();
        String now = BenchJson.objects(runs).stream().filter(r -> BenchJson.field(r, "id").equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("run " + id + " is not among the segment's: " + runs));
        return BenchJson.objects(now, "jobs");
    }

    /** How long recording the acceptance of the jobs {@code run} planned took, in all (their {@code recordedMillis}), s. */
    private static double recorded(HttpClient http, String base, String segmentId, String run) throws Exception {
        List<String> jobs = jobs(http, base, segmentId, run);
        check(!jobs.isEmpty(), "the run planned no job: " + run);
        long millis = 0;
        for (String job : jobs) {
            String recorded = BenchJson.field(job, "recordedMillis");
            check(!recorded.equals("null") && !recorded.equals("?"), "a job's acceptance not recorded: " + jobs);
            millis += Long.parseLong(recorded);
        }
        return millis / 1000.0;
    }

    /**
     * Reports a sync until in step. The time is the syncs' own: each sync before the last one
     * that sent people, whole, then from that one's start until the list last changed (one sync
     * when one job does it; more when removes go before adds, or when a plan's people went in
     * several jobs, each after the first sent by the sync that saw the one before it finish);
     * what the benchmark does between syncs is left out.
     */
    private static void report(String label, String figure, List<String> runs, Held held) {
        int lastSending = 0;
        for (int i = 0; i < runs.size(); i++) {
            if (!"0".equals(BenchJson.field(runs.get(i), "sent"))) {
                lastSending = i;
            }
        }
        double inStep = 0;
        for (int i = 0; i < lastSending; i++) {
            inStep += MembershipBenchmark.seconds(runs.get(i));
        }
        Instant started = Instant.parse(BenchJson.field(runs.get(lastSending), "startedAt"));
        inStep += Duration.between(started, held.changedAt().get()).toMillis() / 1000.0;
        Figures.current.put(figure, inStep);
        if (runs.get(0).contains("\"plan\":")) {
            Figures.current.put(figure + "-plan", planSeconds(runs.get(0)));
        }
        StringBuilder each = new StringBuilder();
        for (String run : runs) {
            each.append(each.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s planned adds, %s planned removes, "
                    + "%s sent in %.2f s", BenchJson.field(run, "plannedAdds"), BenchJson.field(run, "plannedRemoves"),
                    BenchJson.field(run, "sent"), MembershipBenchmark.seconds(run)));
            if (run.contains("\"plan\":")) {
                each.append(String.format(Locale.ROOT, " (plan: %s, %s people looked at, %s ms)", BenchJson.field(run, "scope"),
                        BenchJson.field(run, "examined"), BenchJson.field(run, "millis")));
            }
        }
        System.out.printf(Locale.ROOT, "%s: the fake's %s held exactly the %,d members %.2f s after the first sync started "
                        + "(%d sync(s): %s)%n", label, held.destination().equals("meta") ? "audience" : "list",
                held.size().getAsLong(), inStep, runs.size(), each);
    }

    /** How long a sync's plan took (a sync that made one). */
    private static double planSeconds(String run) {
        return Double.parseDouble(BenchJson.field(run, "millis")) / 1000;
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
