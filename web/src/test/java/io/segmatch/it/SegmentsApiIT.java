package io.segmatch.it;

import jakarta.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The segments API on the real WAR: definitions, validation problems and the live preview. */
class SegmentsApiIT extends DeployedWar {


    Http http;
    String dataset;

    /** 30 customers c01..c30: country DE for odd numbers, FR for even; ltv = number; vip every third. */
    @BeforeEach
    void customers() {
        http = new Http(base).deployed();
        StringBuilder csv = new StringBuilder("customer_id,country,ltv,vip,signup\n");
        for (int i = 1; i <= 30; i++) {
            csv.append(String.format("c%02d,%s,%d,%s,2026-01-%02d%n", i, i % 2 == 1 ? "DE" : "fr", i * 10,
                    i % 3 == 0 ? "yes" : "no", i));
        }
        var r = http.csv("api/datasets?name=Customers", csv.toString());
        assertEquals(201, r.status(), r.body());
        dataset = r.json().getString("datasetId");
    }

    String rule(String logic, String conditions, String extra) {
        return "{\"name\": \"German big spenders\", \"datasetId\": \"" + dataset + "\", \"logic\": \"" + logic
                + "\", \"conditions\": [" + conditions + "]" + extra + "}";
    }

    static final String THREE = "{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"de\"},"
            + "{\"field\": \"ltv\", \"operator\": \"gte\", \"value\": 100},"
            + "{\"field\": \"vip\", \"operator\": \"eq\", \"value\": true}";

    @Test
    void aSegmentIsCreatedReadListedUpdatedAndDeleted() {
        var created = http.json("POST", "api/segments", rule("AND", THREE, ", \"activation\": {\"googleAds\": "
                + "{\"enabled\": true, \"userList\": null, \"consent\": {\"adUserData\": \"GRANTED\", "
                + "\"adPersonalization\": \"DENIED\"}}}"));
        assertEquals(201, created.status(), created.body());
        assertTrue(created.body().matches("\\{\"id\":\"[0-9a-f-]{36}\",\"name\":\"[^\"]+\",\"datasetId\":\"[0-9a-f-]{36}\",\"logic\":\"AND\","
                + "\"conditions\":\\[\\{\"field\":.*],\"memberCount\":0,\"status\":\"pending\",\"lastEvaluatedAt\":null,"
                + "\"lastSyncedAt\":null,\"activation\":\\{\"googleAds\":.*},\"createdAt\":\"[0-9T:.-]+Z\",\"updatedAt\":\"[0-9T:.-]+Z\"}"),
                "the fields in their order, nulls written, no error field: " + created.body());
        JsonObject s = created.json();
        String id = s.getString("id");
        assertTrue(created.header("Location").endsWith("/api/segments/" + id));
        assertEquals("pending", s.getString("status"));
        assertEquals(0, s.getInt("memberCount"));
        assertTrue(s.isNull("lastEvaluatedAt") && s.isNull("lastSyncedAt"));
        assertEquals(3, s.getJsonArray("conditions").size());
        assertEquals("DENIED", s.getJsonObject("activation").getJsonObject("googleAds").getJsonObject("consent")
                .getString("adPersonalization"));
        // the same segment (the timer may have evaluated it meanwhile: its evaluation fields aside)
        List<String> evaluation = List.of("status", "memberCount", "lastEvaluatedAt");
        JsonObject read = http.get("api/segments/" + id).json();
        assertEquals(s.keySet(), read.keySet());
        for (String field : s.keySet()) {
            if (!evaluation.contains(field)) {
                assertEquals(s.get(field), read.get(field), field);
            }
        }
        assertTrue(http.get("api/segments").array().stream().anyMatch(x -> x.asJsonObject().getString("id").equals(id)));

        var updated = http.json("PUT", "api/segments/" + id, rule("OR", THREE, ""));
        assertEquals(200, updated.status(), updated.body());
        assertEquals("OR", updated.json().getString("logic"));
        assertTrue(updated.json().isNull("activation"));

        var breaking = http.json("PATCH", "api/datasets/" + dataset, "{\"columns\": {\"ltv\": \"string\"}}");
        assertEquals(409, breaking.status(), "gte cannot compare strings: " + breaking.body());
        assertEquals("number", http.get("api/datasets/" + dataset).json().getJsonArray("columns").getJsonObject(2)
                .getString("type"), "the refused type change changed nothing");
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset, "{\"columns\": {\"country\": \"string\"}}")
                .status());

        assertEquals(409, http.delete("api/datasets/" + dataset).status(), "the dataset is in use");
        assertEquals(204, http.delete("api/segments/" + id).status());
        assertEquals(404, http.get("api/segments/" + id).status());
        // its members leave with the next processing run (the timer starts it within seconds); until
        // then the dataset cannot go
        int status = Awaitility.await("the deleted segment to be retired").atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                .until(() -> http.delete("api/datasets/" + dataset).status(), answer -> answer != 409);
        assertEquals(204, status, "the dataset is deleted once its deleted segment has been retired");
        assertEquals(404, http.get("api/datasets/" + dataset).status());
    }

    @Test
    void thePreviewCountsTheFirstRowsAndShowsASample() {
        // odd numbers are DE; ltv >= 100 from c10; vip every third: c15, c21, c27 match all three
        var all = http.json("POST", "api/segments/preview", rule("AND", THREE, ", \"limit\": 0"));
        assertEquals(200, all.status(), all.body());
        JsonObject p = all.json();
        assertEquals(3, p.getInt("count"));
        assertEquals(30, p.getInt("scanned"));
        assertEquals(30, p.getInt("totalRows"));
        assertEquals(List.of("c15", "c21", "c27"), p.getJsonArray("sample").stream()
                .map(x -> x.asJsonObject().getString("key")).toList());
        assertEquals("DE", p.getJsonArray("sample").getJsonObject(0).getJsonObject("values").getString("country"));

        JsonObject first20 = http.json("POST", "api/segments/preview", rule("AND", THREE, ", \"limit\": 20")).json();
        assertEquals(1, first20.getInt("count"), "among c01..c20 only c15 matches");
        assertEquals(20, first20.getInt("scanned"));

        JsonObject byDefault = http.json("POST", "api/segments/preview", rule("OR",
                "{\"field\": \"country\", \"operator\": \"neq\", \"value\": \"DE\"}", "")).json();
        assertEquals(15, byDefault.getInt("count"));
        assertEquals(10, byDefault.getJsonArray("sample").size(), "at most ten sample rows");
    }

    /**
     * Scans of up to 10,000 rows are evaluated in Java over rows held in memory, larger ones
     * in PostgreSQL: on this 30-row dataset both must give the same answer, and the rows in
     * memory must follow every kind of change at once.
     */
    @Test
    void thePreviewInMemoryAgreesWithTheDatabaseAndFollowsChanges() {
        List<String> rules = List.of(rule("AND", THREE, ""), rule("OR", THREE, ""),
                rule("AND", "{\"field\": \"signup\", \"operator\": \"between\", \"value\": [\"2026-01-05\", \"2026-01-12\"]}", ""),
                rule("AND", "{\"field\": \"country\", \"operator\": \"not_in\", \"value\": [\"de\"]}", ""));
        for (String r : rules) {
            assertSamePreview(r);
        }
        assertEquals(3, preview(rule("AND", THREE, "")).getInt("count"));

        // a row patched: c01 (DE, ltv 10, not vip) now matches all three conditions
        var patched = http.json("PATCH", "api/datasets/" + dataset + "/rows/c01", "{\"ltv\": \"500\", \"vip\": \"yes\"}");
        assertEquals(200, patched.status(), patched.body());
        assertEquals(4, preview(rule("AND", THREE, "")).getInt("count"));
        assertEquals("c01", preview(rule("AND", THREE, "")).getJsonArray("sample").getJsonObject(0).getString("key"));
        // a row deleted, a row added, an upload
        assertEquals(204, http.delete("api/datasets/" + dataset + "/rows/c15").status());
        assertEquals(3, preview(rule("AND", THREE, "")).getInt("count"));
        var put = http.json("PUT", "api/datasets/" + dataset + "/rows/c00", "{\"country\": \"de\", \"ltv\": \"1000\", \"vip\": \"true\"}");
        assertEquals(201, put.status(), put.body());
        assertEquals(4, preview(rule("AND", THREE, "")).getInt("count"));
        var upload = http.csv("api/datasets/" + dataset + "/uploads?mode=upsert", "customer_id,vip\nc21,no\nc27,no\n");
        assertEquals(200, upload.status(), upload.body());
        assertEquals(2, preview(rule("AND", THREE, "")).getInt("count"));
        for (String r : rules) {
            assertSamePreview(r);
        }
    }

    JsonObject preview(String rule) {
        var r = http.json("POST", "api/segments/preview", rule);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    void assertSamePreview(String rule) {
        JsonObject inMemory = preview(rule.replaceFirst("}$", ", \"limit\": 10000}"));
        JsonObject inDatabase = preview(rule.replaceFirst("}$", ", \"limit\": 0}"));
        assertEquals(inDatabase, inMemory, rule);
    }

    @Test
    void invalidRulesAre400sNamingTheField() {
        record Bad(String conditions, String field) {
        }
        for (Bad bad : List.of(
                new Bad("{\"field\": \"nope\", \"operator\": \"eq\", \"value\": 1}", "conditions[0].field"),
                new Bad("{\"field\": \"country\", \"operator\": \"gt\", \"value\": \"a\"}", "conditions[0].operator"),
                new Bad("{\"field\": \"ltv\", \"operator\": \"between\", \"value\": [9, 1]}", "conditions[0].value"),
                new Bad("{\"field\": \"signup\", \"operator\": \"eq\", \"value\": \"yesterday\"}", "conditions[0].value"),
                new Bad("", "conditions"),
                new Bad("{\"field\": \"country'; drop table segment; --\", \"operator\": \"eq\", \"value\": 1}",
                        "conditions[0].field"))) {
            for (String path : List.of("api/segments", "api/segments/preview")) {
                var r = http.json("POST", path, rule("AND", bad.conditions(), ""));
                assertEquals(400, r.status(), r.body());
                assertEquals("application/problem+json", r.contentType());
                assertEquals(bad.field(), r.json().getJsonArray("errors").getJsonObject(0).getString("field"), r.body());
            }
        }
        var noName = http.json("POST", "api/segments", "{\"datasetId\": \"nope\", \"conditions\": []}");
        assertEquals(List.of("name", "datasetId"), noName.json().getJsonArray("errors").stream()
                .map(e -> e.asJsonObject().getString("field")).toList());
        var consent = http.json("POST", "api/segments", rule("AND", THREE, ", \"activation\": {\"googleAds\": {\"enabled\": true}}"));
        assertEquals("activation.googleAds.consent", consent.json().getJsonArray("errors").getJsonObject(0).getString("field"));
        assertEquals(400, http.json("POST", "api/segments/preview", "[1, 2]").status());
    }

    @Test
    void theConsoleListsDatasetsAndSegments() {
        assertEquals(201, http.json("POST", "api/segments", rule("AND", THREE, "")).status());
        var datasets = http.get("datasets/");
        assertEquals(200, datasets.status());
        assertTrue(datasets.body().contains(">Customers<"), "the dataset is listed by name");
        assertTrue(datasets.body().contains("view.xhtml?id=" + dataset));
        assertTrue(datasets.body().contains("just now"), "the last upload is shown");

        var page = http.get("datasets/view.xhtml?id=" + dataset);
        assertEquals(200, page.status(), page.body());
        for (String text : List.of("<code>customer_id</code>", "<code>ltv</code>", ">number<", ">c01<", ">fr<")) {
            assertTrue(page.body().contains(text), "the dataset page shows " + text);
        }
        assertEquals(404, http.get("datasets/view.xhtml?id=nope").status());

        var segments = http.get("segments/");
        assertEquals(200, segments.status());
        assertTrue(segments.body().contains("German big spenders"));
        assertTrue(segments.body().matches("(?s).*badge (pending|evaluating|live).*"),
                "the status is shown (the timer may already have evaluated the segment)");

        var overview = http.get("");
        assertEquals(200, overview.status());
        assertTrue(overview.body().contains("customer rows"));
        assertTrue(overview.body().contains("/jakarta.faces.resource/segmatch.css"), "the stylesheet is served by the app");
        assertEquals(200, http.get("jakarta.faces.resource/segmatch.css.xhtml?ln=css").status());
    }

    @Test
    void aValueShapedLikeSqlIsJustData() {
        String sqlish = "country'; drop table dataset_row; --";
        assertEquals(204, http.delete("api/datasets/" + dataset + "/rows/c01").status());
        assertEquals(201, http.json("PUT", "api/datasets/" + dataset + "/rows/c01",
                "{\"country\": \"" + sqlish + "\", \"ltv\": 5}").status());
        var p = http.json("POST", "api/segments/preview", rule("AND",
                "{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"" + sqlish.toUpperCase() + "\"}", ", \"limit\": 0"));
        assertEquals(200, p.status(), p.body());
        assertEquals(1, p.json().getInt("count"));
        assertEquals(30, http.get("api/datasets/" + dataset).json().getInt("rowCount"), "nothing was dropped");
        assertNotNull(http.get("api/datasets/" + dataset + "/rows/c02").json().getString("key"));
    }
}
