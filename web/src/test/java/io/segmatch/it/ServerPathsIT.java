package io.segmatch.it;

import io.segmatch.fake.google.FakeGoogle;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Set;

import static io.segmatch.it.ActivationIT.expected;
import static io.segmatch.it.LiveEventsIT.count;
import static io.segmatch.it.ProcessingIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every path a server must carry, in one deployment: the same test runs on Payara Micro (here)
 * and, in the module server-tests, against the EARs on WildFly and Payara Server. An upload
 * through the API; the processing timer starting the membership batch job; the live stream
 * telling the new count; the sync job putting the members in their Customer Match list and their
 * Meta audience and taking a leaver out of both, and emptying them when the segment is deleted; a segment built from that
 * segment (a membership in a group, guarded by the graph lock and the referrers' check); the
 * metrics and the health checks of the application; the API's contract at /openapi.
 */
class ServerPathsIT extends DeployedWar {

    @Test
    void anUploadReachesTheMembersTheLiveStreamTheMetricsAndGoogle() throws Exception {
        FakeGoogle google = MicroDatabase.google;
        Http http = new Http(base).deployed();
        try (SseClient stream = new SseClient(new URL(base, "api/events"), null, http.authorization())) {
            assertEquals("segments", stream.await(e -> true, Duration.ofSeconds(5)).name(), "the state on connect");

            // API, timer, batch job, sync job: the list is created and holds c1, c2 and c3
            ActivationIT.Activated activated = ActivationIT.activate(http, "ServerPaths", "GRANTED");
            String segment = activated.segment();
            var rows = ActivationIT.rows(ActivationIT.CSV);
            JsonObject live = await(() -> http.get("api/segments/" + segment).json(),
                    s -> s.getString("status").equals("live") && s.getInt("memberCount") == 4, "the four pro customers");
            assertEquals(4, live.getInt("memberCount"));
            stream.await(e -> count(e, segment) == 4, Duration.ofSeconds(30));
            await(() -> google.members(activated.list()), m -> m.equals(expected(rows, "c1", "c2", "c3")),
                    "the list to hold c1, c2 and c3 (c4 has no identifier)");

            // Meta as well, through its Graph API client on this server: an audience with c1, c2 and c3
            JsonObject current = http.get("api/segments/" + segment).json();
            var withMeta = http.json("PUT", "api/segments/" + segment, "{\"name\": \"" + current.getString("name")
                    + "\", \"datasetId\": \"" + activated.dataset() + "\", \"logic\": \"" + current.getString("logic")
                    + "\", \"conditions\": " + current.getJsonArray("conditions") + ", \"activation\": {\"googleAds\": "
                    + current.getJsonObject("activation").getJsonObject("googleAds") + ", \"meta\": {\"enabled\": true, "
                    + "\"audienceId\": null}}}");
            assertEquals(200, withMeta.status(), withMeta.body());
            String audience = await(() -> http.get("api/segments/" + segment).json().getJsonObject("activation")
                    .getJsonObject("meta"), m -> !m.isNull("audienceId"), "the audience").getString("audienceId");
            await(() -> MicroDatabase.meta.members(audience), m -> m.equals(MetaActivationIT.metaRows(rows, "c1", "c2", "c3")),
                    "the audience to hold c1, c2 and c3");

            // a row change: c2 leaves the segment, the stream says so, and Google's list loses c2
            assertEquals(200, http.json("PATCH", "api/datasets/" + activated.dataset() + "/rows/c2",
                    "{\"plan\": \"free\"}").status());
            stream.await(e -> count(e, segment) == 3, Duration.ofSeconds(30));
            await(() -> google.members(activated.list()), m -> m.equals(expected(rows, "c1", "c3")),
                    "c2 to be removed from the list");
            await(() -> MicroDatabase.meta.members(audience), m -> m.equals(MetaActivationIT.metaRows(rows, "c1", "c3")),
                    "c2 to be removed from the audience");

            // a segment built from it, inside a group: its members follow in the same run, and the
            // referred segment cannot go while it refers to it
            var from = http.json("POST", "api/segments", "{\"name\": \"From ServerPaths\", \"datasetId\": \""
                    + activated.dataset() + "\", \"conditions\": [{\"logic\": \"OR\", \"conditions\": [{\"segment\": \""
                    + segment + "\", \"operator\": \"in\"}]}]}");
            assertEquals(201, from.status(), from.body());
            String referrer = from.json().getString("id");
            await(() -> http.get("api/segments/" + referrer).json(),
                    s -> s.getString("status").equals("live") && s.getInt("memberCount") == 3, "the referring segment's members");
            assertEquals(409, http.delete("api/segments/" + segment).status(), "referred to");
            assertEquals(204, http.delete("api/segments/" + referrer).status());

            // the application's metrics, in the server's registry
            assertTrue(Metrics.value(http, "segmatch_rows_ingested_total", "change=\"inserted\"") >= 5);
            assertTrue(Metrics.value(http, "segmatch_rows_ingested_total", "change=\"updated\"") >= 1);
            assertTrue(Metrics.value(http, "segmatch_processing_runs_seconds_count", "status=\"completed\"") >= 2);
            assertTrue(Metrics.value(http, "segmatch_memberships_exited_total") >= 1);
            assertTrue(Metrics.value(http, "segmatch_google_requests_total", "outcome=\"success\"") >= 1);
            assertTrue(Metrics.value(http, "segmatch_segment_syncs_total", "status=\"completed\"") >= 1);
            assertTrue(Metrics.value(http, "segmatch_meta_syncs_total", "status=\"completed\"") >= 1);
            assertTrue(Metrics.value(http, "segmatch_live_clients") >= 1, "this stream is connected");

            // the segment goes: its members leave the list (and nothing of it syncs on in later tests)
            assertEquals(204, http.delete("api/segments/" + segment).status());
            await(() -> google.members(activated.list()), Set::isEmpty, "the list to be emptied");
            await(() -> MicroDatabase.meta.members(audience), Set::isEmpty, "the audience to be emptied");
        }

        // answers bound with JSON-B: the same fields in the same order, nulls written, on every server
        String me = http.get("api/me").body();
        assertTrue(me.matches("\\{\"username\":\"admin\",\"role\":\"admin\",\"createdAt\":\"[0-9T:.-]+Z\","
                + "\"mustChangePassword\":false}"), me);

        // the API's contract: to users only, as YAML and as JSON, served by the application on every server
        assertEquals(401, Http.anonymous(base).get("openapi").status());
        var yaml = http.get("openapi");
        assertEquals(200, yaml.status(), yaml.body());
        assertTrue(yaml.contentType().startsWith("application/yaml"), yaml.contentType());
        assertTrue(yaml.body().startsWith("# The Segmatch API's contract") && yaml.body().contains("\nopenapi: 3.0.3\n")
                && yaml.body().contains("\n  /api/datasets:\n"), "the application's own file, not the server's rendering");
        JsonObject contract = http.get("openapi?format=JSON").json();
        assertTrue(contract.getJsonObject("paths").getJsonObject("/api/segments/{id}").containsKey("put"),
                contract.getJsonObject("paths").keySet().toString());

        // the health checks: open to anyone, the application's own among them
        var ready = Http.anonymous(base).get(Http.health("ready"));
        assertEquals(200, ready.status(), ready.body());
        assertTrue(ready.body().contains("\"database\""), ready.body());
        var alive = Http.anonymous(base).get(Http.health("live"));
        assertEquals(200, alive.status(), alive.body());
        assertTrue(alive.body().contains("\"segmatch\""), alive.body());
    }
}
