package io.segmatch.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.segmatch.it.ProcessingIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch job repository outlives the server: after WildFly restarts (a reload through its
 * management API), the runs recorded before it still show their own job executions' steps, and
 * the runs after it get executions of their own. With an in-memory repository, execution ids
 * start again at 1 after a restart, and the old runs would show the new runs' steps (or none).
 */
class ServerRestartIT extends DeployedWar {

    @Test
    void runsKeepTheirOwnJobExecutionsAcrossARestart() throws Exception {
        Http http = new Http(base).deployed();
        var upload = http.csv("api/datasets?name=Restart", rows(1, 30));
        assertEquals(201, upload.status(), upload.body());
        String dataset = upload.json().getString("datasetId");
        var created = http.json("POST", "api/segments", "{\"name\": \"German\", \"datasetId\": \"" + dataset
                + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"DE\"}]}");
        assertEquals(201, created.status(), created.body());
        String segment = created.json().getString("id");
        await(() -> http.get("api/segments/" + segment).json(), s -> s.getInt("memberCount") == 10, "the first members");
        await(() -> http.get("api/processing").json(), s -> s.getInt("pendingChanges") == 0 && !s.getBoolean("running"),
                "the first runs to end");
        Map<Integer, String> before = steps(http);
        assertFalse(before.isEmpty());
        assertTrue(before.values().stream().anyMatch(s -> s.contains("read_count")), before.toString());

        restart(http);

        assertEquals(200, http.csv("api/datasets/" + dataset + "/uploads", rows(31, 60)).status());
        await(() -> http.get("api/segments/" + segment).json(), s -> s.getInt("memberCount") == 20,
                "the new rows to be evaluated after the restart");
        await(() -> http.get("api/processing").json(), s -> s.getInt("pendingChanges") == 0 && !s.getBoolean("running"),
                "the runs after the restart to end");
        Map<Integer, String> after = steps(http);
        assertTrue(after.size() > before.size(), "runs after the restart: " + after.keySet() + " / " + before.keySet());
        before.forEach((run, steps) -> assertEquals(steps, after.get(run),
                "run " + run + " still shows its own job execution after the restart"));
        assertTrue(after.entrySet().stream().filter(e -> !before.containsKey(e.getKey()))
                        .anyMatch(e -> e.getValue().contains("\"read_count\":30")),
                "a run after the restart evaluated the 30 new rows in a job execution of its own: " + after);
    }

    /** Each run's steps as the batch runtime reports them (names, statuses, metrics), by run id. */
    private static Map<Integer, String> steps(Http http) {
        return http.get("api/processing/runs?limit=100").array().stream().map(JsonObject.class::cast)
                .filter(r -> !r.getString("status").equals("running"))
                .collect(Collectors.toMap(r -> r.getInt("id"),
                        r -> http.get("api/processing/runs/" + r.getInt("id")).json().getJsonArray("steps").toString(),
                        (a, b) -> a, TreeMap::new));
    }

    /** Reloads WildFly through its management API, then waits until the application is ready again. */
    private void restart(Http http) throws InterruptedException {
        String management = System.getProperty("segmatch.it.health").replaceAll("/health/?$", "/management");
        var reload = http.managementUser()
                .sendWith("POST", management, "application/json", "{\"operation\": \"reload\"}", Map.of());
        assertEquals(200, reload.status(), reload.body());
        assertTrue(reload.body().contains("\"success\""), reload.body());
        await(() -> {
            try {
                var ready = Http.anonymous(base).get(Http.health("ready"));
                return ready.status() == 200 && ready.body().contains("\"database\"")
                        && http.get("api/processing").status() == 200;
            } catch (UncheckedIOException e) {
                return false; // not listening yet
            }
        }, up -> up, "the application to be ready after the reload");
    }

    private static String rows(int from, int to) {
        StringBuilder csv = new StringBuilder("customer_id,country\n");
        for (int i = from; i <= to; i++) {
            csv.append(String.format("c%02d,%s%n", i, i % 3 == 0 ? "DE" : "FR"));
        }
        return csv.toString();
    }
}
