package io.segmatch.bench;

import io.segmatch.activation.identifiers.Hashing;
import io.segmatch.activation.identifiers.Normalization;
import io.segmatch.fake.google.FakeGoogle;
import io.segmatch.fake.meta.FakeMeta;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.segmatch.bench.FaultApi.await;
import static io.segmatch.bench.FaultApi.probe;

/**
 * What the fault-injection run checks once Segmatch is back: processing caught up, the members
 * the rule's answer over the rows, the enter/exit log replaying to them, and Google's one list
 * and Meta's one audience holding exactly them.
 */
final class FaultChecks {

    private final FaultApi api;
    private final FakeGoogle google;
    private final FakeMeta meta;
    private final String segmentId;

    FaultChecks(FaultApi api, FakeGoogle google, FakeMeta meta, String segmentId) {
        this.api = api;
        this.google = google;
        this.meta = meta;
        this.segmentId = segmentId;
    }

    /**
     * Waits for the membership run and the syncs to catch up, then checks members, log,
     * Google's list and Meta's audience. Returns the seconds processing took to be back to normal (nothing pending).
     */
    double settle(Map<String, Map<String, String>> model) throws Exception {
        long t0 = System.nanoTime();
        await("the changes to be evaluated", Duration.ofMinutes(3), probe(() -> api.get("api/processing").json()),
                p -> p.getInt("pendingChanges") == 0 && !p.getBoolean("running"));
        await("the segment to be live", Duration.ofMinutes(3), probe(() -> api.get("api/segments/" + segmentId).json()),
                s -> s.getString("status").equals("live"));
        double processing = (System.nanoTime() - t0) / 1e9;

        Set<String> expected = new TreeSet<>();
        model.forEach((k, v) -> {
            if ("pro".equals(v.get("plan"))) {
                expected.add(k);
            }
        });
        Set<String> members = new TreeSet<>(api.members(segmentId));
        check(members.equals(expected), "the members are not the rule's answer: " + symmetric(expected, members));
        Set<String> replayed = new HashSet<>();
        for (String[] change : api.changes(segmentId)) {
            boolean applied = change[1].equals("enter") ? replayed.add(change[0]) : replayed.remove(change[0]);
            check(applied, "the log has " + change[1] + " of " + change[0] + " twice in a row");
        }
        check(replayed.equals(members), "the enter/exit log does not replay to the members: " + symmetric(members, replayed));

        Set<String> hashes = new TreeSet<>();
        Set<String> rows = new TreeSet<>();
        for (String k : members) {
            String hash = Hashing.sha256(Normalization.email(model.get(k).get("email"), false));
            hashes.add("hashedEmail=" + hash);
            rows.add(hash + "|||||"); // Meta's schema: EMAIL, then PHONE, FN, LN, ZIP, COUNTRY left blank
        }
        inStep(hashes, rows);
        return processing;
    }

    /**
     * Syncs until one plans nothing for either destination; then Google's one list and Meta's
     * one audience hold exactly these people.
     */
    private void inStep(Set<String> people, Set<String> metaRows) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            // a sync of our own: one still running (started by the timer) may have synced one
            // destination already, so it is waited out rather than taken for ours
            int[] before = new int[2];
            await("a sync to start", Duration.ofMinutes(3), probe(() -> {
                before[0] = finishedSyncs("google-ads").size();
                before[1] = finishedSyncs("meta").size();
                var started = api.send("POST", "api/activation/runs", "application/json", "{}");
                check(started.status() == 202, "a sync: " + started.status() + " " + started.body());
                return started.json().getBoolean("started");
            }), Boolean::booleanValue);
            int google = before[0];
            int meta = before[1];
            List<JsonObject> googleRuns = await("a sync to Google to end", Duration.ofMinutes(3),
                    probe(() -> finishedSyncs("google-ads")), r -> r.size() > google);
            List<JsonObject> metaRuns = await("a sync to Meta to end", Duration.ofMinutes(3),
                    probe(() -> finishedSyncs("meta")), r -> r.size() > meta);
            boolean nothing = plannedNothing(googleRuns.get(0)) && plannedNothing(metaRuns.get(0));
            List<String> lists = this.google.userLists();
            Set<String> audiences = this.meta.audienceSizes().keySet();
            if (nothing && lists.size() == 1 && this.google.members(lists.get(0)).equals(people)
                    && audiences.size() == 1 && this.meta.members(audiences.iterator().next()).equals(metaRows)) {
                check(!this.google.uppercaseHashSeen(), "a hash in upper case reached Google");
                return;
            }
        }
        List<String> lists = google.userLists();
        Set<String> audiences = meta.audienceSizes().keySet();
        throw new AssertionError("Google's list or Meta's audience is not the members after 10 syncs: " + lists.size()
                + " list(s)" + (lists.isEmpty() ? "" : ", " + symmetric(people, google.members(lists.get(0))))
                + "; " + audiences.size() + " audience(s)"
                + (audiences.isEmpty() ? "" : ", " + symmetric(metaRows, meta.members(audiences.iterator().next()))));
    }

    /** A sync that ran to its end and found nothing to send (a failed one says nothing about what is left). */
    private static boolean plannedNothing(JsonObject run) {
        return !run.getString("status").equals("failed") && run.getJsonNumber("plannedAdds").longValue() == 0
                && run.getJsonNumber("plannedRemoves").longValue() == 0;
    }

    /**
     * The segment's syncs to a destination that ended (completed, waiting for Google, or failed:
     * the next attempt starts another), newest first.
     */
    private List<JsonObject> finishedSyncs(String destination) throws Exception {
        List<JsonObject> ended = new ArrayList<>();
        for (JsonValue v : api.get("api/activation/runs?segmentId=" + segmentId + "&destination=" + destination
                + "&limit=100").array()) {
            String status = v.asJsonObject().getString("status");
            if (status.equals("completed") || status.equals("waiting") || status.equals("failed")) {
                ended.add(v.asJsonObject());
            }
        }
        return ended;
    }

    static String symmetric(Set<String> expected, Set<String> found) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(found);
        Set<String> extra = new TreeSet<>(found);
        extra.removeAll(expected);
        return missing.size() + " missing " + missing.stream().limit(3).toList() + ", " + extra.size() + " extra "
                + extra.stream().limit(3).toList();
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
