package io.segmatch.it;

import io.segmatch.activation.identifiers.MetaIdentifiers;
import io.segmatch.datasets.entity.Identifiers;
import io.segmatch.fake.google.FakeGoogle;
import io.segmatch.fake.meta.FakeMeta;
import io.segmatch.fake.meta.HeldRequest;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.segmatch.it.ActivationIT.expected;
import static io.segmatch.it.ActivationIT.rows;
import static io.segmatch.it.ProcessingIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A segment activated to Google Customer Match and a Meta Custom Audience at once, end to end
 * against both fakes: the timers evaluate and sync; enters and exits reach both destinations
 * through row edits and a rule edit; a throttle Meta asks to be waited out (80003 with usage
 * headers) delays Meta only; a refused Meta token stops Meta with a visible message while
 * Google goes on, until an admin stores a new token; a sync interrupted in the middle of a
 * Meta session resumes it, without a second audience.
 */
class MetaActivationIT extends DeployedWar {

    @Test
    void bothDestinationsFollowTheMembersAndMetasTroublesHoldOnlyMeta() throws Exception {
        FakeGoogle google = MicroDatabase.google;
        FakeMeta meta = MicroDatabase.meta;
        Http http = new Http(base).deployed();
        String csv = ActivationIT.CSV;
        var rows = rows(csv);
        var upload = http.csv("api/datasets?name=TwoDestinations&key=customer_id", csv);
        assertEquals(201, upload.status(), upload.body());
        String dataset = upload.json().getString("datasetId");
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset, "{\"identifiers\": {\"email\": \"email\", "
                + "\"phone\": \"phone\", \"firstName\": \"first_name\", \"lastName\": \"last_name\", "
                + "\"countryCode\": \"country\", \"postalCode\": \"zip\", \"defaultPhoneRegion\": \"DE\"}}").status());
        int audiencesBefore = meta.audienceSizes().size();
        String rule = "\"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}]";
        String both = "\"activation\": {\"googleAds\": {\"enabled\": true, \"userList\": null, \"consent\": "
                + "{\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"}}, \"meta\": {\"enabled\": true, \"audienceId\": null}}";
        // an editor may not switch Meta on; an admin may
        var refused = Http.as(base, "editor").json("POST", "api/segments", "{\"name\": \"Both\", \"datasetId\": \"" + dataset
                + "\", " + rule + ", " + both + "}");
        assertEquals(403, refused.status(), refused.body());
        var bad = http.json("POST", "api/segments", "{\"name\": \"Both\", \"datasetId\": \"" + dataset + "\", " + rule
                + ", \"activation\": {\"meta\": {\"enabled\": \"yes\", \"audienceId\": \"act_1\"}}}");
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("activation.meta.enabled") && bad.body().contains("activation.meta.audienceId"), bad.body());
        var created = http.json("POST", "api/segments", "{\"name\": \"Both\", \"datasetId\": \"" + dataset + "\", " + rule + ", "
                + both + "}");
        assertEquals(201, created.status(), created.body());
        String segment = created.json().getString("id");
        JsonObject withLists = await(() -> http.get("api/segments/" + segment).json().getJsonObject("activation"),
                a -> !a.getJsonObject("googleAds").isNull("userList") && !a.getJsonObject("meta").isNull("audienceId"),
                "the list and the audience to be created");
        String list = withLists.getJsonObject("googleAds").getString("userList");
        String audience = withLists.getJsonObject("meta").getString("audienceId");
        assertEquals(audiencesBefore + 1, meta.audienceSizes().size(), "one audience");

        // the members reach both: c1, c2 and c3 (c4 has no identifier, c5 is not pro)
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c2", "c3")), "Google's list to hold c1, c2, c3");
        await(() -> meta.members(audience), m -> m.equals(metaRows(rows, "c1", "c2", "c3")), "Meta's audience to hold c1, c2, c3");
        JsonArray metaRuns = http.get("api/activation/runs?segmentId=" + segment + "&destination=meta&limit=100").array();
        assertTrue(metaRuns.stream().map(JsonObject.class::cast).allMatch(r -> r.getString("destination").equals("meta")
                && r.getString("userList").equals(audience)), metaRuns.toString());
        assertTrue(metaRuns.stream().map(JsonObject.class::cast).anyMatch(r -> r.getInt("added") == 3 && r.getInt("skipped") == 1
                && r.getInt("invalidEntries") == 0), "the run that sent them counts them: " + metaRuns);
        JsonArray googleRuns = http.get("api/activation/runs?segmentId=" + segment + "&destination=google-ads&limit=100").array();
        assertTrue(googleRuns.stream().map(JsonObject.class::cast).allMatch(r -> r.getString("destination").equals("google-ads")
                && !r.containsKey("invalidEntries")), googleRuns.toString());
        var badFilter = http.get("api/activation/runs?destination=tiktok");
        assertEquals(400, badFilter.status(), badFilter.body());
        assertTrue(badFilter.body().contains("\"field\":\"destination\""), badFilter.body());

        // row edits: c2 leaves, c5 enters — both destinations follow
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset + "/rows/c2", "{\"plan\": \"free\"}").status());
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset + "/rows/c5", "{\"plan\": \"pro\"}").status());
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c3", "c5")), "Google to follow the row edits");
        await(() -> meta.members(audience), m -> m.equals(metaRows(rows, "c1", "c3", "c5")), "Meta to follow the row edits");

        // a rule edit: pro or free — c2 comes back to both
        var edited = http.json("PUT", "api/segments/" + segment, "{\"name\": \"Both\", \"datasetId\": \"" + dataset
                + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"in\", \"value\": [\"pro\", \"free\"]}], "
                + "\"activation\": " + http.get("api/segments/" + segment).json().getJsonObject("activation") + "}");
        assertEquals(200, edited.status(), edited.body());
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c2", "c3", "c5")), "Google to follow the rule edit");
        await(() -> meta.members(audience), m -> m.equals(metaRows(rows, "c1", "c2", "c3", "c5")), "Meta to follow the rule edit");

        // Meta throttles (80003, access regained in a minute): Google goes on, Meta waits, then catches up
        meta.throttle(1, 1);
        assertEquals(201, http.json("PUT", "api/datasets/" + dataset + "/rows/c6",
                "{\"email\": \"Fiona.Meta@Example.org\", \"plan\": \"pro\", \"country\": \"DE\"}").status());
        rows.put("c6", Map.of("customer_id", "c6", "email", "Fiona.Meta@Example.org", "plan", "pro", "country", "DE"));
        JsonObject waiting = await(() -> newest(http, segment, "meta"), r -> r != null && r.getString("status").equals("waiting"),
                "Meta's run to wait for the throttle");
        assertTrue(waiting.getString("error").contains("80003") && waiting.getString("error").contains("goes on after"),
                waiting.toString());
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c2", "c3", "c5", "c6")), "Google to get c6 meanwhile");
        JsonObject paused = http.get("api/activation/meta").json();
        assertTrue(paused.containsKey("pausedUntil"), paused.toString());
        assertTrue(Instant.parse(paused.getString("pausedUntil")).isAfter(Instant.now()), paused.toString());
        assertFalse(meta.members(audience).containsAll(metaRows(rows, "c6")), "Meta waits while Google went on");
        // with room for the pause Meta asked for (a minute)
        await(() -> meta.members(audience), m -> m.equals(metaRows(rows, "c1", "c2", "c3", "c5", "c6")),
                "Meta to get c6 once the pause is over", Duration.ofSeconds(150));
        await(() -> http.get("api/activation/runs?segmentId=" + segment + "&destination=meta&limit=100").array()
                        .stream().map(JsonObject.class::cast).filter(r -> r.getInt("id") == waiting.getInt("id")).findFirst()
                        .orElseThrow().getString("status"),
                "completed"::equals, "the waiting run to be completed by the run that finished its session");

        // Meta refuses the token: Meta's runs fail with what to do, Google goes on; a new token mends it
        meta.token("EAARotatedSystemUserToken");
        try {
            assertEquals(201, http.json("PUT", "api/datasets/" + dataset + "/rows/c7",
                    "{\"email\": \"gus.meta@example.org\", \"plan\": \"pro\"}").status());
            rows.put("c7", Map.of("customer_id", "c7", "email", "gus.meta@example.org", "plan", "pro"));
            await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c2", "c3", "c5", "c6", "c7")),
                    "Google to get c7 though Meta refuses the token");
            JsonObject state = await(() -> http.get("api/activation/meta").json(), s -> s.getBoolean("needsToken"),
                    "the Meta page to ask for a new token");
            assertFalse(state.getBoolean("connected"));
            assertTrue(state.getString("problem").contains("code 190") && state.getString("problem").contains("new system user token"),
                    state.toString());
            // the connection's problem is recorded as Meta refuses the call; the run ends failed just after
            JsonObject failed = await(() -> newest(http, segment, "meta"), r -> r != null && !r.getString("status").equals("running"),
                    "Meta's run that met the refused token to end");
            assertEquals("failed", failed.getString("status"), failed.toString());
            assertFalse(meta.members(audience).containsAll(metaRows(rows, "c7")));
            assertEquals(403, Http.as(base, "editor").json("PUT", "api/activation/meta",
                    "{\"accessToken\": \"EAARotatedSystemUserToken\"}").status(), "an admin's");
            assertEquals(400, http.json("PUT", "api/activation/meta", "{\"accessToken\": \"\"}").status());
            var stored = http.json("PUT", "api/activation/meta", "{\"accessToken\": \"EAARotatedSystemUserToken\"}");
            assertEquals(200, stored.status(), stored.body());
            assertFalse(stored.body().contains("EAARotated"), "never a token: " + stored.body());
            assertTrue(stored.json().getBoolean("connected"), stored.body());
            await(() -> meta.members(audience), m -> m.equals(metaRows(rows, "c1", "c2", "c3", "c5", "c6", "c7")),
                    "Meta to get c7 with the new token");
            await(() -> http.get("api/activation/meta").json(), s -> !s.containsKey("problem") && s.getBoolean("connected"),
                    "the problem to be over");

            // a token stored while a call carrying the one before is with Meta: Meta refuses the
            // old token, which is not taken for the new one's refusal
            meta.token("EAARotatedAgainToken");
            HeldRequest held = meta.holdNext("users");
            try {
                assertEquals(201, http.json("PUT", "api/datasets/" + dataset + "/rows/c8",
                        "{\"email\": \"hal.meta@example.org\", \"plan\": \"pro\"}").status());
                rows.put("c8", Map.of("customer_id", "c8", "email", "hal.meta@example.org", "plan", "pro"));
                assertTrue(held.arrived(Duration.ofSeconds(60)), "a call with the token before reaches Meta");
                var again = http.json("PUT", "api/activation/meta", "{\"accessToken\": \"EAARotatedAgainToken\"}");
                assertEquals(200, again.status(), again.body());
            } finally {
                held.release();
            }
            await(() -> http.get("api/activation/runs?destination=meta&limit=100").array().stream()
                            .map(JsonObject.class::cast).noneMatch(r -> r.getString("status").equals("running")),
                    b -> b, "the run whose call Meta refused to end");
            JsonObject afterRefusal = http.get("api/activation/meta").json();
            assertTrue(afterRefusal.getBoolean("connected") && !afterRefusal.getBoolean("needsToken")
                    && !afterRefusal.containsKey("problem"), "the new token stays connected: " + afterRefusal);
            await(() -> meta.members(audience), m -> m.equals(metaRows(rows, "c1", "c2", "c3", "c5", "c6", "c7", "c8")),
                    "Meta to get c8 with the new token");
        } finally {
            meta.token(FakeMeta.TOKEN);
            assertEquals(204, http.delete("api/activation/meta").status());
        }
        assertFalse(http.get("api/audit?limit=100").body().contains("EAARotated"), "the audit log names no token");

        // deleting the segment empties both
        assertEquals(204, http.delete("api/segments/" + segment).status());
        await(() -> google.members(list), Set::isEmpty, "Google's list to be emptied");
        await(() -> meta.members(audience), Set::isEmpty, "Meta's audience to be emptied");
        assertEquals(audiencesBefore + 1, meta.audienceSizes().size(), "still one audience");
        assertTrue(Metrics.value(http, "segmatch_meta_syncs_total", "status=\"completed\"") >= 1);
        assertTrue(Metrics.value(http, "segmatch_meta_requests_total", "outcome=\"deferred\"") >= 1);
    }

    /**
     * A Meta session of three batches is interrupted after its first (Meta refuses the second
     * once, finally): the next sync resumes the same session from the second batch — no second
     * audience, nobody sent twice.
     */
    @Test
    void aSyncInterruptedInTheMiddleOfASessionResumesIt() throws Exception {
        FakeMeta meta = MicroDatabase.meta;
        Http http = new Http(base).deployed();
        StringBuilder csv = new StringBuilder("id,email\n");
        for (int i = 0; i < 25_000; i++) {
            csv.append("m").append(i).append(",person").append(i).append("@example.org\n");
        }
        var upload = http.csv("api/datasets?name=MetaSession&key=id", csv.toString());
        assertEquals(201, upload.status(), upload.body());
        String dataset = upload.json().getString("datasetId");
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset, "{\"identifiers\": {\"email\": \"email\"}}").status());
        int audiencesBefore = meta.audienceSizes().size();
        int usersBefore = (int) meta.requests().stream().filter(r -> r.endsWith("/users")).count();
        meta.failAfter("users", 1, 400, 100, 0);
        var created = http.json("POST", "api/segments", "{\"name\": \"Everyone\", \"datasetId\": \"" + dataset + "\", "
                + "\"logic\": \"AND\", \"conditions\": [{\"field\": \"email\", \"operator\": \"is_set\"}], "
                + "\"activation\": {\"meta\": {\"enabled\": true, \"audienceId\": null}}}");
        assertEquals(201, created.status(), created.body());
        String segment = created.json().getString("id");
        String audience = await(() -> http.get("api/segments/" + segment).json().getJsonObject("activation").getJsonObject("meta"),
                m -> !m.isNull("audienceId"), "the audience").getString("audienceId");
        JsonObject failed = await(() -> newest(http, segment, "meta"), r -> r != null && r.getString("status").equals("failed"),
                "the interrupted run");
        assertEquals(10_000, failed.getInt("sent"), "one batch went before the refusal: " + failed);
        String session = failed.getJsonArray("jobs").getJsonObject(0).getString("resourceName");
        await(() -> meta.audienceSizes().get(audience), n -> n != null && n == 25_000, "everyone in the audience");
        // the job stays with the run that planned it, which gets its figures once the job is done
        await(() -> http.get("api/activation/runs?segmentId=" + segment + "&destination=meta&limit=100").array().stream()
                        .map(JsonObject.class::cast).filter(r -> r.getInt("id") == failed.getInt("id")).findFirst().orElseThrow()
                        .getJsonArray("jobs").getJsonObject(0).getString("status"),
                "success"::equals, "the resumed session's job to be done");
        JsonArray runs = http.get("api/activation/runs?segmentId=" + segment + "&destination=meta&limit=100").array();
        assertTrue(runs.stream().map(JsonObject.class::cast).anyMatch(r -> r.getInt("id") > failed.getInt("id")
                && r.getInt("sent") == 15_000), "a later run sent the other two batches: " + runs);
        JsonObject planner = runs.stream().map(JsonObject.class::cast).filter(r -> r.getInt("id") == failed.getInt("id"))
                .findFirst().orElseThrow();
        JsonObject job = planner.getJsonArray("jobs").getJsonObject(0);
        assertEquals(session, job.getString("resourceName"), "the same session, resumed: " + planner);
        assertEquals("success", job.getString("status"), planner.toString());
        assertEquals(audiencesBefore + 1, meta.audienceSizes().size(), "no second audience");
        long users = meta.requests().stream().filter(r -> r.endsWith("/users")).count() - usersBefore;
        assertEquals(4, users, "three batches and the refused one: " + meta.requests());
        assertEquals(25_000, runs.stream().map(JsonObject.class::cast).filter(r -> r.getInt("id") >= failed.getInt("id"))
                .mapToInt(r -> r.getInt("added")).sum(), "everyone counted once, by the run that sent the session's job");
        assertEquals(204, http.delete("api/segments/" + segment).status());
        await(() -> meta.audienceSizes().get(audience), n -> n == 0, "the audience to be emptied");
    }

    /** The newest run of the segment to a destination, or null. */
    static JsonObject newest(Http http, String segment, String destination) {
        JsonArray runs = http.get("api/activation/runs?segmentId=" + segment + "&destination=" + destination + "&limit=1").array();
        return runs.isEmpty() ? null : runs.getJsonObject(0);
    }

    /** The rows Meta's audience should hold, as the fake records them (hashed values in schema order, joined by |). */
    static Set<String> metaRows(Map<String, Map<String, String>> rows, String... keys) {
        Identifiers roles = ActivationIT.roles();
        Set<String> people = new TreeSet<>();
        for (String key : Arrays.asList(keys)) {
            people.add(String.join("|", MetaIdentifiers.of(rows.get(key), roles).row()));
        }
        return people;
    }
}
