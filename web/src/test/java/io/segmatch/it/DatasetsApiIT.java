package io.segmatch.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real WAR on Payara Micro with PostgreSQL, driven over HTTP: uploads, rows, dataset
 * changes, the problem documents for bad input, processing state and health.
 */
class DatasetsApiIT extends DeployedWar {


    Http http;

    @BeforeEach
    void client() {
        http = new Http(base).deployed();
    }

    static final String CUSTOMERS = """
            customer_id;email;plan;ltv;vip;zip
            c1;ann@example.com;pro;100.00;TRUE;007
            c2;"ben@example.com";free;7;no;10115
            c3;cy@example.com;pro;x;yes;10117
            """;

    String create(String csv, String query) {
        var r = http.csv("api/datasets" + query, csv);
        assertEquals(201, r.status(), r.body());
        return r.json().getString("datasetId");
    }

    @Test
    void anUploadedCsvIsStoredAndItsRowsReadBackExactly() {
        var r = http.csv("api/datasets?name=Customers&key=customer_id", CUSTOMERS);
        assertEquals(201, r.status(), r.body());
        JsonObject summary = r.json();
        String id = summary.getString("datasetId");
        assertTrue(r.header("Location").endsWith("/api/datasets/" + id));
        assertEquals(";", summary.getString("delimiter"));
        assertEquals("UTF-8", summary.getString("encoding"));
        assertEquals(3, summary.getInt("read"));
        assertEquals(3, summary.getInt("inserted"));
        assertEquals("string", summary.getJsonArray("columns").getJsonObject(3).getString("type"), "ltv has an x");

        JsonObject row = http.get("api/datasets/" + id + "/rows/c1").json();
        assertEquals("c1", row.getString("key"));
        assertEquals("100.00", row.getJsonObject("values").getString("ltv"));
        assertEquals("TRUE", row.getJsonObject("values").getString("vip"));
        assertEquals("007", row.getJsonObject("values").getString("zip"));
        assertEquals(row.getString("createdAt"), row.getString("updatedAt"));

        JsonObject dataset = http.get("api/datasets/" + id).json();
        assertEquals("Customers", dataset.getString("name"));
        assertEquals(3, dataset.getInt("rowCount"));
        assertEquals("email", dataset.getJsonObject("identifiers").getString("email"));
        assertEquals("zip", dataset.getJsonObject("identifiers").getString("postalCode"));
        assertEquals(1, dataset.getJsonArray("uploads").size());
        assertTrue(http.get("api/datasets").array().stream()
                .anyMatch(d -> d.asJsonObject().getString("id").equals(id)));
    }

    @Test
    void aMultipartUploadWithAReplaceAndTheHistory() {
        var created = http.multipart("api/datasets", "shop-export.csv", CUSTOMERS, "key", "customer_id");
        assertEquals(201, created.status(), created.body());
        assertTrue(created.body().matches("\\{\"datasetId\":\"[0-9a-f-]{36}\",\"uploadId\":\"[0-9a-f-]{36}\",\"mode\":\"[a-z]+\","
                + "\"encoding\":\"[^\"]+\",\"delimiter\":\"[^\"]+\",\"keyColumn\":\"customer_id\",\"read\":\\d+,\"inserted\":\\d+,"
                + "\"updated\":\\d+,\"unchanged\":\\d+,\"rejected\":\\d+,\"duplicates\":\\d+,\"deleted\":\\d+,\"columns\":\\[.*],"
                + "\"errors\":\\[.*],\"sizeBytes\":\\d+,\"startedAt\":\"[0-9T:.-]+Z\",\"finishedAt\":\"[0-9T:.-]+Z\","
                + "\"fileName\":\"shop-export.csv\"}"), "an upload summary's fields in their order: " + created.body());
        String id = created.json().getString("datasetId");
        assertEquals("shop-export", http.get("api/datasets/" + id).json().getString("name"),
                "the file name names the dataset when no name is given");

        var longName = http.multipart("api/datasets", "named.csv", CUSTOMERS, "name", "n".repeat(65 * 1024));
        assertEquals(400, longName.status(), "a text part is held to 64 KiB");
        assertTrue(longName.body().contains("\"field\":\"name\""), longName.body());

        var replaced = http.multipart("api/datasets/" + id + "/uploads", "again.csv",
                "customer_id,plan\nc1,team\nc4,pro\n", "mode", "replace");
        assertEquals(200, replaced.status(), replaced.body());
        JsonObject s = replaced.json();
        assertEquals(List.of(2, 1, 1, 0, 2), List.of(s.getInt("read"), s.getInt("inserted"), s.getInt("updated"),
                s.getInt("unchanged"), s.getInt("deleted")));
        assertEquals("replace", s.getString("mode"));
        String c1Shown = http.get("api/datasets/" + id + "/rows/c1").body();
        assertTrue(c1Shown.matches("\\{\"key\":\"c1\",\"values\":\\{\"customer_id\":\"c1\",.*},\"createdAt\":\"[0-9T:.-]+Z\","
                + "\"updatedAt\":\"[0-9T:.-]+Z\"}"), "a row's fields in their order, its values in column order: " + c1Shown);
        String page = http.get("api/datasets/" + id + "/rows?limit=1000").body();
        assertTrue(page.startsWith("{\"rows\":[{\"key\":") && page.endsWith("],\"next\":null}"), page);
        JsonObject c1 = http.get("api/datasets/" + id + "/rows/c1").json().getJsonObject("values");
        assertEquals("team", c1.getString("plan"));
        assertEquals("ann@example.com", c1.getString("email"), "columns the upload lacks keep their values");
        assertEquals(404, http.get("api/datasets/" + id + "/rows/c2").status());
        var history = http.get("api/datasets/" + id).json().getJsonArray("uploads");
        assertEquals(2, history.size());
        assertEquals("replace", history.getJsonObject(0).getString("mode"), "newest first");
    }

    @Test
    void bodiesThatAreNotCsvGetA400AndChangeNothing() {
        int before = http.get("api/datasets").array().size();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 8, 0, 8, 0};
        for (byte[] body : List.of(png, zip, new byte[0], "1,2,3\n4,5,6\n".getBytes())) {
            var r = http.post("api/datasets", "text/csv", body);
            assertEquals(400, r.status(), r.body());
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            JsonObject problem = r.json();
            assertEquals(400, problem.getInt("status"));
            assertFalse(problem.getString("detail").isBlank());
            assertFalse(r.body().contains("Exception"), r.body());
        }
        assertEquals(before, http.get("api/datasets").array().size());
    }

    @Test
    void rowEndpointsValidateAndRecordPendingChanges() throws InterruptedException {
        String id = create(CUSTOMERS, "?key=customer_id");
        String rows = "api/datasets/" + id + "/rows/";
        long lastRun = caughtUp();

        var patched = http.json("PATCH", rows + "c2", "{\"plan\": \"team\", \"vip\": true, \"zip\": null}");
        assertEquals(200, patched.status(), patched.body());
        JsonObject values = patched.json().getJsonObject("values");
        assertEquals("team", values.getString("plan"));
        assertEquals("true", values.getString("vip"));
        assertFalse(values.containsKey("zip"), "null clears a value");

        var bad = http.json("PATCH", rows + "c2", "{\"nope\": 1, \"vip\": \"maybe\"}");
        assertEquals(400, bad.status());
        var fields = bad.json().getJsonArray("errors").stream().map(e -> e.asJsonObject().getString("field")).toList();
        assertEquals(List.of("nope", "vip"), fields);
        assertEquals(400, http.json("PATCH", rows + "c2", "{not json").status());
        assertEquals(404, http.json("PATCH", rows + "zz", "{\"plan\": \"x\"}").status());

        assertEquals(400, http.json("PATCH", rows + "c2", "{\"plan\": 1" + "0".repeat(1200) + "}").status(),
                "a number the JSON parser refuses is a bad request, not a server error");
        assertEquals(200, http.get(rows + "%20c2%20").status(), "keys are trimmed like uploaded keys");
        assertEquals(201, http.json("PUT", rows + "c9", "{\"email\": \"new@example.com\", \"vip\": \"no\"}").status());
        var put = http.json("PUT", rows + "c9", "{\"email\": \"new@example.com\"}");
        assertEquals(200, put.status());
        assertFalse(put.json().getJsonObject("values").containsKey("vip"), "PUT replaces the whole row");
        assertEquals(204, http.delete(rows + "c9").status());
        assertEquals(404, http.delete(rows + "c9").status());
        assertEquals(3, http.get("api/datasets/" + id).json().getInt("rowCount"));

        // the row writes were captured and the processing runs the timer starts evaluated them
        // (the exact queue contents are ChangeCaptureIT's, against PostgreSQL)
        caughtUp();
        long evaluated = http.get("api/processing/runs?limit=100").array().stream().map(r -> r.asJsonObject())
                .filter(r -> r.getJsonNumber("id").longValue() > lastRun)
                .mapToLong(r -> r.getJsonNumber("rowsEvaluated").longValue()).sum();
        assertTrue(evaluated >= 1, "the row changes were captured and evaluated by the runs after them");
    }

    /** Waits until no change is pending and no run is running; returns the last run's id (0: none). */
    long caughtUp() throws InterruptedException {
        var state = ProcessingIT.await(() -> http.get("api/processing").json(),
                s -> s.getJsonNumber("pendingChanges").longValue() == 0 && !s.getBoolean("running"),
                "processing to catch up");
        return state.isNull("lastRun") ? 0 : state.getJsonObject("lastRun").getJsonNumber("id").longValue();
    }

    @Test
    void datasetPatchChangesTypesAndIdentifiersOrNamesTheBadField() {
        String id = create(CUSTOMERS, "?key=customer_id");
        var ok = http.json("PATCH", "api/datasets/" + id,
                "{\"name\": \"VIPs\", \"columns\": {\"zip\": \"number\"}, \"identifiers\": {\"defaultPhoneRegion\": \"de\", \"email\": null}}");
        assertEquals(200, ok.status(), ok.body());
        JsonObject d = ok.json();
        assertEquals("VIPs", d.getString("name"));
        assertEquals("number", d.getJsonArray("columns").getJsonObject(5).getString("type"));
        assertEquals("DE", d.getJsonObject("identifiers").getString("defaultPhoneRegion"));
        assertFalse(d.getJsonObject("identifiers").containsKey("email"));

        var bad = http.json("PATCH", "api/datasets/" + id, "{\"columns\": {\"zip\": \"money\"}, \"identifiers\": {\"phone\": \"nope\"}}");
        assertEquals(400, bad.status());
        assertEquals("columns.zip", bad.json().getJsonArray("errors").getJsonObject(0).getString("field"));
        assertEquals("VIPs", http.get("api/datasets/" + id).json().getString("name"));
    }

    @Test
    void missingResourcesAreProblemDocumentsAndDeletionWorks() {
        var missing = http.get("api/datasets/nope");
        assertEquals(404, missing.status());
        assertEquals("application/problem+json", missing.contentType());
        assertEquals(404, http.get("api/no-such-path").status());
        var badLimit = http.get("api/datasets/" + create("id,x\n1,a\n", "") + "/rows?limit=lots");
        assertEquals(400, badLimit.status());
        assertEquals("limit", badLimit.json().getJsonArray("errors").getJsonObject(0).getString("field"));
        assertEquals(400, http.csv("api/datasets?mode=merge", "id,x\n1,a\n").status());
        assertEquals(405, http.json("PATCH", "api/processing", "{}").status());
        assertEquals(400, http.csv("api/datasets?name=a%00b", "id,x\n1,a\n").status(), "NUL in a name");
        String other = create("id,x\n1,a\n", "");
        var nul = http.get("api/datasets/" + other + "/rows?after=%00");
        assertEquals(400, nul.status(), nul.body());
        assertEquals("after", nul.json().getJsonArray("errors").getJsonObject(0).getString("field"));
        assertEquals(400, http.json("PUT", "api/datasets/" + other + "/rows/notanumber", "{\"x\": \"b\"}").status(),
                "the key column id holds numbers");
        String id = create("id,x\n1,a\n", "");
        assertEquals(204, http.delete("api/datasets/" + id).status());
        assertEquals(404, http.get("api/datasets/" + id).status());
        assertEquals(404, http.get("api/datasets/" + id + "/rows/1").status());
    }

    @Test
    void theConsoleUploadsAFileInTwoSteps() {
        var page = http.get("datasets/upload.xhtml");
        assertEquals(200, page.status());
        var read = http.multipartNamed("datasets/upload.xhtml", "upload:file", "shop.csv", CUSTOMERS,
                "upload", "upload", "upload:target", "new", "upload:name", "Console upload", "upload:read", "Read file",
                "jakarta.faces.ViewState", Http.viewState(page.body()));
        assertEquals(200, read.status());
        assertTrue(read.body().contains("delimiter <code>;</code>"), "the dialect is shown");
        assertTrue(read.body().contains("selected=\"selected\">customer_id</option>"), "the key chooser holds the guess");

        var applied = http.form("datasets/upload.xhtml", "confirm", "confirm", "confirm:key", "customer_id",
                "confirm:apply", "Upload", "jakarta.faces.ViewState", Http.viewState(read.body()));
        assertEquals(200, applied.status());
        assertTrue(applied.body().contains("3</div><div class=\"label\">inserted"), applied.body());
        var created = http.get("api/datasets").array().stream().map(v -> v.asJsonObject())
                .filter(d -> d.getString("name").equals("Console upload")).findFirst().orElseThrow();
        assertEquals(3, created.getInt("rowCount"));
        assertEquals("customer_id", created.getString("keyColumn"));

        var notCsv = http.multipartNamed("datasets/upload.xhtml", "upload:file", "blank.csv", "\n\n  \n",
                "upload", "upload", "upload:target", "new", "upload:read", "Read file",
                "jakarta.faces.ViewState", Http.viewState(http.get("datasets/upload.xhtml").body()));
        assertTrue(notCsv.body().contains("The file is empty"), "the refusal is shown on the page");
    }

    @Test
    void theDatasetPageChangesColumnTypesAndRoles() {
        String id = create(CUSTOMERS, "?key=customer_id");
        var page = http.get("datasets/view.xhtml?id=" + id);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<option value=\"postalCode\" selected=\"selected\">"), "the guessed role is shown");
        var saved = http.form("datasets/view.xhtml", "columns", "columns", "id", id,
                "columns:cols:5:type", "number", "columns:cols:2:role", "firstName", "columns:region", "de",
                "columns:save", "Save types and roles", "jakarta.faces.ViewState", Http.viewState(page.body()));
        assertTrue(saved.status() == 200 || saved.status() == 302, saved.body());
        JsonObject d = http.get("api/datasets/" + id).json();
        assertEquals("number", d.getJsonArray("columns").getJsonObject(5).getString("type"));
        assertEquals("plan", d.getJsonObject("identifiers").getString("firstName"));
        assertEquals("zip", d.getJsonObject("identifiers").getString("postalCode"), "untouched roles stay");
        assertEquals("DE", d.getJsonObject("identifiers").getString("defaultPhoneRegion"));

        var bad = http.form("datasets/view.xhtml", "columns", "columns", "id", id, "columns:region", "Germany",
                "columns:save", "Save types and roles",
                "jakarta.faces.ViewState", Http.viewState(http.get("datasets/view.xhtml?id=" + id).body()));
        assertEquals(200, bad.status());
        assertTrue(bad.body().contains("two-letter region code"), "the problem is shown on the page");
        assertEquals("DE", http.get("api/datasets/" + id).json().getJsonObject("identifiers").getString("defaultPhoneRegion"));
    }

    @Test
    void healthReportsTheDatabaseToAnyoneWithoutNamingIt() {
        var ready = Http.anonymous(base).get(Http.health("ready"));
        assertEquals(200, ready.status(), ready.body());
        // the application's check (a server may add checks of its own)
        JsonObject check = ready.json().getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("database")).findFirst()
                .orElseThrow(() -> new AssertionError("no database check: " + ready.body()));
        assertEquals("UP", check.getString("status"));
        assertFalse(ready.body().contains("PostgreSQL") || ready.body().contains("version"),
                "no product or version for anonymous callers: " + ready.body());
        var live = http.get(Http.health("live"));
        assertEquals(200, live.status());
        assertTrue(live.body().contains("\"segmatch\""), live.body());
        assertNotNull(http.get("api/processing").json().get("pendingChanges"));
    }
}
