package io.segmatch.it;

import jakarta.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Groups and segments built from segments on the real WAR: previews, memberships kept by the
 * processing runs (a change of a referred segment moves the referring ones in the same run),
 * and every new refusal: depth, size, empty group, unknown segment, another dataset, a
 * cycle, deleting or moving a segment others refer to.
 */
class NestedSegmentsIT extends DeployedWar {

    Http http;
    String dataset;

    /** 30 customers c01..c30: country DE for odd numbers, FR for even; ltv = 10 × number; vip every third. */
    @BeforeEach
    void customers() {
        http = new Http(base).deployed();
        StringBuilder csv = new StringBuilder("customer_id,country,ltv,vip\n");
        for (int i = 1; i <= 30; i++) {
            csv.append(String.format("c%02d,%s,%d,%s%n", i, i % 2 == 1 ? "DE" : "FR", i * 10, i % 3 == 0 ? "yes" : "no"));
        }
        var r = http.csv("api/datasets?name=Nested", csv.toString());
        assertEquals(201, r.status(), r.body());
        dataset = r.json().getString("datasetId");
    }

    static String cond(String field, String op, String value) {
        return "{\"field\": \"" + field + "\", \"operator\": \"" + op + "\"" + (value == null ? "" : ", \"value\": " + value) + "}";
    }

    static String group(String logic, String... entries) {
        return "{\"logic\": \"" + logic + "\", \"conditions\": [" + String.join(", ", entries) + "]}";
    }

    static String member(String segment, String op) {
        return "{\"segment\": \"" + segment + "\", \"operator\": \"" + op + "\"}";
    }

    String body(String name, String logic, String... entries) {
        return "{\"name\": \"" + name + "\", \"datasetId\": \"" + dataset + "\", \"logic\": \"" + logic + "\", \"conditions\": ["
                + String.join(", ", entries) + "]}";
    }

    int preview(String body) {
        var r = http.json("POST", "api/segments/preview", body.replaceFirst("}$", ", \"limit\": 0}"));
        assertEquals(200, r.status(), r.body());
        var inMemory = http.json("POST", "api/segments/preview", body).json();
        assertEquals(r.json().getInt("count"), inMemory.getInt("count"), "the rows in memory answer as the database: " + body);
        return r.json().getInt("count");
    }

    String create(String body) {
        var r = http.json("POST", "api/segments", body);
        assertEquals(201, r.status(), r.body());
        return r.json().getString("id");
    }

    JsonObject awaitLive(String id, int members) {
        return Awaitility.await("segment " + id + " live with " + members + " members").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> http.get("api/segments/" + id).json(),
                        s -> s.getString("status").equals("live") && s.getInt("memberCount") == members);
    }

    @Test
    void groupsPreviewAndKeepTheirMembers() {
        // (DE and ltv >= 100) or (FR and ltv < 50): c11, c13 … c29 (10) and c02, c04 (2)
        String rule = body("Two markets", "OR",
                group("AND", cond("country", "eq", "\"DE\""), cond("ltv", "gte", "100")),
                group("AND", cond("country", "eq", "\"fr\""), cond("ltv", "lt", "50")));
        assertEquals(12, preview(rule));
        String id = create(rule);
        JsonObject saved = http.get("api/segments/" + id).json();
        assertEquals("AND", saved.getJsonArray("conditions").getJsonObject(1).getString("logic"), "groups are returned as sent");
        awaitLive(id, 12);
        // a row edit moves a member out of a group's match
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset + "/rows/c13", "{\"ltv\": \"20\"}").status());
        awaitLive(id, 11);
    }

    @Test
    void aSegmentBuiltFromSegmentsFollowsThemInTheSameRun() {
        String german = create(body("German", "AND", cond("country", "eq", "\"DE\"")));
        awaitLive(german, 15);
        // in German but vip: c03, c09, c15, c21, c27; not in German: the 15 French
        String germanVips = create(body("German VIPs", "AND", member(german, "in"), cond("vip", "eq", "true")));
        String notGerman = create(body("Not German", "AND", member(german, "not_in")));
        assertEquals(5, preview(body("p", "AND", member(german, "in"), cond("vip", "eq", "true"))));
        awaitLive(germanVips, 5);
        awaitLive(notGerman, 15);
        // the referred segment changes: the referring ones move in the same run, so once German is
        // live with its new members, both already agree with it
        assertEquals(200, http.json("PUT", "api/segments/" + german, body("German", "AND", cond("country", "eq", "\"DE\""),
                cond("ltv", "gt", "150"))).status());
        awaitLive(german, 7);
        assertEquals(23, http.get("api/segments/" + notGerman).json().getInt("memberCount"), "30 - 7, in the same run");
        assertEquals(2, http.get("api/segments/" + germanVips).json().getInt("memberCount"), "c21 and c27, in the same run");
    }

    @Test
    void badGroupsAndReferencesAre400sNamingThePath() {
        String german = create(body("German", "AND", cond("country", "eq", "\"DE\"")));
        String set = cond("vip", "is_set", null);
        String other = http.csv("api/datasets?name=Other", "id,x\n1,a\n").json().getString("datasetId");
        String elsewhere = create("{\"name\": \"Elsewhere\", \"datasetId\": \"" + other + "\", \"conditions\": ["
                + cond("x", "is_set", null) + "]}");
        record Bad(String[] entries, String field, String words) {
        }
        String twentySix = String.join(", ", Collections.nCopies(26, set));
        for (Bad bad : List.of(
                new Bad(new String[]{group("AND", group("OR", group("AND", group("OR", set))))},
                        "conditions[0].conditions[0].conditions[0].conditions[0]", "at most 3 levels"),
                new Bad(new String[]{group("AND", twentySix), group("OR", twentySix)}, "conditions", "at most 50 conditions"),
                new Bad(new String[]{set, group("OR")}, "conditions[1].conditions", "a group needs at least one condition"),
                new Bad(new String[]{group("AND", set, cond("ltv", "gt", "\"lots\""))}, "conditions[0].conditions[1].value",
                        "a number"),
                new Bad(new String[]{member("no-such-segment", "in")}, "conditions[0].segment", "no segment with id"),
                new Bad(new String[]{member(elsewhere, "in")}, "conditions[0].segment", "another dataset"),
                new Bad(new String[]{member(german, "member")}, "conditions[0].operator", "in or not_in"))) {
            for (String path : List.of("api/segments", "api/segments/preview")) {
                var r = http.json("POST", path, body("Bad", "AND", bad.entries()));
                assertEquals(400, r.status(), r.body());
                assertEquals("application/problem+json", r.contentType());
                JsonObject error = r.json().getJsonArray("errors").getJsonObject(0);
                assertEquals(bad.field(), error.getString("field"), r.body());
                assertTrue(error.getString("message").contains(bad.words()), r.body());
            }
        }
        // a cycle: German would refer to a segment that refers to German
        String fromGerman = create(body("From German", "AND", member(german, "in")));
        var cycle = http.json("PUT", "api/segments/" + german, body("German", "AND", cond("country", "eq", "\"DE\""),
                group("OR", member(fromGerman, "not_in"))));
        assertEquals(400, cycle.status(), cycle.body());
        JsonObject error = cycle.json().getJsonArray("errors").getJsonObject(0);
        assertEquals("conditions[1].conditions[0].segment", error.getString("field"));
        assertTrue(error.getString("message").contains("this segment → 'From German' → this segment"), cycle.body());
        var self = http.json("PUT", "api/segments/" + german, body("German", "AND", member(german, "in")));
        assertEquals(400, self.status());
        // a referred segment cannot be deleted, nor moved to another dataset, while referred to
        var delete = http.delete("api/segments/" + german);
        assertEquals(409, delete.status(), delete.body());
        assertEquals("segment-referenced", delete.json().getString("type").replaceAll(".*/", ""), delete.body());
        assertTrue(delete.json().getString("detail").contains("'From German' (" + fromGerman + ")"), delete.body());
        var move = http.json("PUT", "api/segments/" + german, "{\"name\": \"German\", \"datasetId\": \"" + other
                + "\", \"conditions\": [" + cond("x", "is_set", null) + "]}");
        assertEquals(409, move.status(), move.body());
        assertEquals(200, http.get("api/segments/" + german).status(), "still there");
        // once nothing refers to it, it goes
        assertEquals(204, http.delete("api/segments/" + fromGerman).status());
        assertEquals(204, http.delete("api/segments/" + german).status());
    }
}
