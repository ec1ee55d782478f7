package io.segmatch.it;

import jakarta.json.JsonObject;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incremental membership in the real WAR: the EJB timer (not the test) starts the
 * evaluate-changes batch job after an upload over HTTP, the members appear, row changes and a
 * deleted segment move them, and the batch step metrics are those of the work done.
 */
class ProcessingIT extends DeployedWar {

    @Test
    void theTimerKeepsMembersCurrentThroughTheBatchJob() throws Exception {
        Http http = new Http(base).deployed();
        StringBuilder csv = new StringBuilder("customer_id,country,ltv\n");
        for (int i = 1; i <= 30; i++) {
            csv.append(String.format("c%02d,%s,%d%n", i, i % 3 == 0 ? "DE" : "FR", i * 10));
        }
        var upload = http.csv("api/datasets?name=Processing", csv.toString());
        assertEquals(201, upload.status(), upload.body());
        String dataset = upload.json().getString("datasetId");
        var created = http.json("POST", "api/segments", "{\"name\": \"German\", \"datasetId\": \"" + dataset
                + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"de\"}]}");
        assertEquals(201, created.status(), created.body());
        String segment = created.json().getString("id");
        assertEquals("pending", created.json().getString("status"));

        // nobody starts a run here: the timer does, within seconds of the upload and the new segment
        JsonObject live = await(() -> http.get("api/segments/" + segment).json(),
                s -> s.getString("status").equals("live"), "the segment to become live");
        assertEquals(10, live.getInt("memberCount"));
        assertNotNull(live.getString("lastEvaluatedAt"));
        assertEquals(members(http, segment), Set.of("c03", "c06", "c09", "c12", "c15", "c18", "c21", "c24", "c27", "c30"));
        JsonObject state = await(() -> http.get("api/processing").json(), s -> s.getInt("pendingChanges") == 0
                && !s.getBoolean("running"), "the pending changes to be evaluated");
        assertEquals("completed", state.getJsonObject("lastRun").getString("status"));

        // 30 more rows: evaluated incrementally, read, evaluated and written in one chunk (chunks of 1000)
        StringBuilder more = new StringBuilder("customer_id,country,ltv\n");
        for (int i = 31; i <= 60; i++) {
            more.append(String.format("c%02d,%s,%d%n", i, i % 3 == 0 ? "DE" : "FR", i * 10));
        }
        assertEquals(200, http.csv("api/datasets/" + dataset + "/uploads", more.toString()).status());
        await(() -> http.get("api/segments/" + segment).json(), s -> s.getInt("memberCount") == 20,
                "the new rows to be evaluated");
        var runs = http.get("api/processing/runs").array();
        JsonObject evaluatedRun = runs.stream().map(JsonObject.class::cast)
                .filter(r -> r.getInt("rowsEvaluated") == 30).findFirst().orElseThrow(() -> new AssertionError(runs.toString()));
        var runAnswer = http.get("api/processing/runs/" + evaluatedRun.getInt("id"));
        assertTrue(runAnswer.body().matches("\\{\"id\":\\d+,\"status\":\"completed\",\"reason\":\"[^\"]+\",\"startedAt\":\"[0-9T:.-]+Z\","
                + "\"endedAt\":\"[0-9T:.-]+Z\",\"rowsEvaluated\":30,\"segmentsEvaluated\":\\d+,\"entered\":\\d+,\"exited\":\\d+,"
                + "\"steps\":\\[\\{\"name\":.*"), "the fields in their order, no error when there is none: " + runAnswer.body());
        JsonObject run = runAnswer.json();
        JsonObject evaluate = run.getJsonArray("steps").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("name").equals("evaluate")).findFirst().orElseThrow();
        assertEquals("completed", evaluate.getString("status"));
        JsonObject metrics = evaluate.getJsonObject("metrics");
        assertEquals(30, metrics.getInt("read_count"), metrics.toString());
        assertEquals(30, metrics.getInt("write_count"), metrics.toString());
        assertEquals(1, metrics.getInt("commit_count"), metrics.toString());
        assertEquals(0, metrics.getInt("rollback_count"), metrics.toString());
        // the bulk step takes datasets with at least 10,000 pending changes: these 30 go in a chunk
        assertEquals(List.of("retire", "rebuild", "bulk", "evaluate"), run.getJsonArray("steps").stream()
                .map(s -> s.asJsonObject().getString("name")).toList());

        // a row leaves, a row enters, a row is deleted: the log records each with its run
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset + "/rows/c03", "{\"country\": \"FR\"}").status());
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset + "/rows/c01", "{\"country\": \"de\"}").status());
        assertEquals(204, http.delete("api/datasets/" + dataset + "/rows/c06").status());
        await(() -> members(http, segment), m -> m.contains("c01") && !m.contains("c03") && !m.contains("c06"),
                "the members to follow the row changes");
        JsonObject changes = http.get("api/segments/" + segment + "/changes?limit=100").json();
        var log = changes.getJsonArray("changes").stream().map(JsonObject.class::cast).toList();
        assertEquals(23, log.size(), log.toString());
        assertEquals(Set.of("c03:exit", "c06:exit", "c01:enter"), log.subList(20, 23).stream()
                .map(c -> c.getString("key") + ":" + c.getString("change")).collect(Collectors.toSet()));
        assertEquals(19, http.get("api/segments/" + segment).json().getInt("memberCount"));
        // keyset paging of members
        String firstPage = http.get("api/segments/" + segment + "/members?limit=4").body();
        assertTrue(firstPage.matches("\\{\"members\":\\[\\{\"key\":\"c\\d+\",\"since\":\"[0-9T:.-]+Z\"}.*],\"next\":\"c15\"}"), firstPage);
        assertTrue(http.get("api/segments/" + segment + "/members?limit=1000").body().endsWith("],\"next\":null}"),
                "the last page says there is no next one");
        JsonObject page = http.get("api/segments/" + segment + "/members?limit=4").json();
        assertEquals("c15", page.getString("next"));
        assertEquals(List.of("c18", "c21", "c24", "c27"), http.get("api/segments/" + segment + "/members?limit=4&after=c15")
                .json().getJsonArray("members").stream().map(m -> m.asJsonObject().getString("key")).toList());
        assertEquals(400, http.get("api/segments/" + segment + "/members?limit=0").status());

        // two starts at the same moment: one run
        var first = CompletableFuture.supplyAsync(() -> http.json("POST", "api/processing/runs", ""));
        var second = CompletableFuture.supplyAsync(() -> http.json("POST", "api/processing/runs", ""));
        var a = first.get();
        var b = second.get();
        assertEquals(202, a.status(), a.body());
        assertEquals(202, b.status(), b.body());
        assertEquals(a.json().getInt("id"), b.json().getInt("id"), a.body() + " / " + b.body());
        assertTrue(a.json().getBoolean("started") ^ b.json().getBoolean("started") || !a.json().getBoolean("started"),
                "at most one of the two started a run: " + a.body() + " / " + b.body());

        // a deleted segment's members leave
        assertEquals(204, http.delete("api/segments/" + segment).status());
        assertEquals(404, http.get("api/segments/" + segment).status());
        await(() -> http.get("api/processing").json(), s -> !s.getBoolean("running")
                && s.getJsonObject("lastRun").getInt("exited") == 19, "the deleted segment's members to leave");
    }

    static Set<String> members(Http http, String segment) {
        return http.get("api/segments/" + segment + "/members?limit=1000").json().getJsonArray("members").stream()
                .map(m -> m.asJsonObject().getString("key")).collect(Collectors.toSet());
    }

    /** Polls {@code probe} (every 250 ms, for up to 60 s) until {@code done}; fails with what was seen last. */
    static <T> T await(Supplier<T> probe, Predicate<T> done, String what) throws InterruptedException {
        return await(probe, done, what, Duration.ofSeconds(60));
    }

    /** {@link #await(Supplier, Predicate, String)} for at most {@code atMost}. */
    static <T> T await(Supplier<T> probe, Predicate<T> done, String what, Duration atMost) throws InterruptedException {
        var last = new AtomicReference<T>();
        try {
            return Awaitility.await(what).atMost(atMost)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        T seen = probe.get();
                        last.set(seen);
                        return seen;
                    }, done::test);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited " + atMost.toSeconds() + " s for " + what + "; last seen: " + last.get(), e);
        }
    }
}
