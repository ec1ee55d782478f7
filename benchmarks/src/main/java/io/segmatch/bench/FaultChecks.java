package io.segmatch.bench;

import io.segmatch.activation.identifiers.Hashing;
import io.segmatch.activation.identifiers.Normalization;
import io.segmatch.fake.google.FakeGoogle;
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
 * holding exactly them.
 */
final class FaultChecks {

    private final FaultApi api;
    private final FakeGoogle google;
    private final String segmentId;

    FaultChecks(FaultApi api, FakeGoogle google, String segmentId) {
        this.api = api;
        this.google = google;
        this.segmentId = segmentId;
    }

    /**
     * Waits for the membership run and the syncs to catch up, then checks members, log and
     * Google's list. Returns the seconds processing took to be back to normal (nothing pending).
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
        for (String k : members) {
            hashes.add("hashedEmail=" + Hashing.sha256(Normalization.email(model.get(k).get("email"), false)));
        }
        inStepWithGoogle(hashes);
        return processing;
    }

    /** Syncs until one plans nothing; then Google's one list holds exactly these people. */
    private void inStepWithGoogle(Set<String> people) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            int before = finishedSyncs().size();
            var started = api.send("POST", "api/activation/runs", "application/json", "{}");
            check(started.status() == 202, "a sync: " + started.status() + " " + started.body());
            List<JsonObject> runs = await("a sync to end", Duration.ofMinutes(3), probe(this::finishedSyncs),
                    r -> r.size() > before);
            JsonObject last = runs.get(0);
            boolean nothing = last.getJsonNumber("plannedAdds").longValue() == 0
                    && last.getJsonNumber("plannedRemoves").longValue() == 0;
            List<String> lists = google.userLists();
            if (nothing && lists.size() == 1 && google.members(lists.get(0)).equals(people)) {
                check(!google.uppercaseHashSeen(), "a hash in upper case reached Google");
                return;
            }
        }
        List<String> lists = google.userLists();
        throw new AssertionError("Google's list is not the members after 10 syncs: " + lists.size() + " list(s)"
                + (lists.isEmpty() ? "" : ", " + symmetric(people, google.members(lists.get(0)))));
    }

    /** The segment's syncs that ended (completed or waiting for Google), newest first. */
    private List<JsonObject> finishedSyncs() throws Exception {
        List<JsonObject> ended = new ArrayList<>();
        for (JsonValue v : api.get("api/activation/runs?segmentId=" + segmentId + "&limit=100").array()) {
            String status = v.asJsonObject().getString("status");
            if (status.equals("completed") || status.equals("waiting")) {
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
