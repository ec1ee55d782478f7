package io.segmatch.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Set;

import static io.segmatch.it.ProcessingIT.await;
import static io.segmatch.it.ProcessingIT.members;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forgetting a person through the API, in the real WAR: their rows go in every dataset, the
 * membership run records their exits, the request completes and their key is gone from the
 * enter/exit log; nothing of them reaches the audit log. And history retention's settings and a
 * purge on demand.
 */
class LifecycleIT extends DeployedWar {

    @Test
    void anErasureByEmailForgetsThePersonEverywhere() throws Exception {
        Http http = new Http(base).deployed();
        String csv = "customer_id,email,plan\n"
                + "e1,Alice.Smith@Example.com,pro\n"
                + "e2,bob@example.com,pro\n"
                + "e3,carol@example.com,free\n";
        var first = http.csv("api/datasets?name=Erasure+A", csv);
        assertEquals(201, first.status(), first.body());
        String a = first.json().getString("datasetId");
        var second = http.csv("api/datasets?name=Erasure+B", "id,email\nx9,alice.smith@example.com\nx8,dave@example.com\n");
        assertEquals(201, second.status(), second.body());
        String b = second.json().getString("datasetId");
        var segment = http.json("POST", "api/segments", "{\"name\": \"Pro\", \"datasetId\": \"" + a
                + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}]}");
        assertEquals(201, segment.status(), segment.body());
        String s = segment.json().getString("id");
        await(() -> members(http, s), m -> m.equals(Set.of("e1", "e2")), "the segment's members");

        // bad requests name the field, and erase nothing
        var two = http.json("POST", "api/erasures", "{\"email\": \"a@b.c\", \"key\": \"e1\"}");
        assertEquals(400, two.status(), two.body());
        var notEmail = http.json("POST", "api/erasures", "{\"email\": \"not an address\"}");
        assertEquals(400, notEmail.status(), notEmail.body());
        assertTrue(notEmail.body().contains("email"), notEmail.body());
        var unknown = http.json("POST", "api/erasures", "{\"mail\": \"a@b.c\"}");
        assertEquals(400, unknown.status(), unknown.body());
        assertEquals(200, http.get("api/datasets/" + a + "/rows/e1").status());

        // another spelling of the same address finds the person in both datasets
        var erased = http.json("POST", "api/erasures", "{\"email\": \"  ALICE.SMITH@example.COM \"}");
        assertEquals(201, erased.status(), erased.body());
        JsonObject request = erased.json();
        assertEquals(2, request.getInt("rowsErased"));
        assertEquals(2, request.getInt("datasets"));
        assertEquals("email", request.getString("matchedBy"));
        assertEquals(404, http.get("api/datasets/" + a + "/rows/e1").status());
        assertEquals(404, http.get("api/datasets/" + b + "/rows/x9").status());
        assertEquals(200, http.get("api/datasets/" + b + "/rows/x8").status(), "only that person");

        await(() -> members(http, s), m -> m.equals(Set.of("e2")), "the person's exit");
        String id = String.valueOf(request.getInt("id"));
        JsonObject done = await(() -> http.get("api/erasures/" + id).json(), e -> e.getString("status").equals("done"),
                "the erasure to complete");
        assertFalse(done.isNull("completedAt"));
        String log = http.get("api/segments/" + s + "/changes?limit=1000").body();
        assertFalse(log.contains("\"e1\""), "the key is gone from the enter/exit log: " + log);
        assertTrue(log.contains("\"e2\""), log);

        String audit = http.get("api/audit?limit=50").body();
        assertTrue(audit.contains("erasure.requested"), audit);
        assertTrue(audit.contains("erasure.completed"), audit);
        assertFalse(audit.toLowerCase(Locale.ROOT).contains("alice"), "never the person's data: " + audit);

        var byKey = http.json("POST", "api/erasures", "{\"datasetId\": \"" + a + "\", \"key\": \"e3\"}");
        assertEquals(201, byKey.status(), byKey.body());
        assertEquals(1, byKey.json().getInt("rowsErased"));
        var nobody = http.json("POST", "api/erasures", "{\"key\": \"no-such-key\"}");
        assertEquals(201, nobody.status(), nobody.body());
        assertEquals(0, nobody.json().getInt("rowsErased"));
        assertEquals("done", nobody.json().getString("status"), "nothing to wait for");
    }

    @Test
    void retentionIsShownAndAPurgeRunsOnDemand() {
        Http http = new Http(base).deployed();
        String shown = http.get("api/history/retention").body();
        assertTrue(shown.matches("\\{\"retentionDays\":400,\"retention\":\"P400D\",\"cutoff\":\"[0-9T:.-]+Z\",\"lastPurge\":(null|\\{\"id\":.*)\\}"),
                "the fields in their order: " + shown);
        JsonObject retention = http.get("api/history/retention").json();
        assertEquals(400, retention.getInt("retentionDays"));
        assertEquals("P400D", retention.getString("retention"), "the setting as configured");
        var purge = http.json("POST", "api/history/purges", "");
        assertEquals(200, purge.status(), purge.body());
        JsonObject p = purge.json();
        assertEquals(0, p.getInt("logEntries"), "nothing here is 400 days old");
        assertTrue(p.isNull("error"));
        assertFalse(p.isNull("endedAt"));
        assertEquals(p.getInt("id"), http.get("api/history/retention").json().getJsonObject("lastPurge").getInt("id"));
    }
}
