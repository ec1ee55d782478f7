package io.segmatch.it;

import io.segmatch.activation.identifiers.CustomerIdentifiers;
import io.segmatch.datasets.entity.Identifiers;
import io.segmatch.it.google.FakeGoogle;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.segmatch.it.ProcessingIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Customer Match end to end against the fake Google (Google Ads API transport): the timers,
 * not the test, evaluate the segment and sync it; the fake's list then holds exactly the
 * members' hashed identifiers; members who leave are removed by a separate remove job;
 * Google's throttling, concurrent modification and internal errors are retried; a deleted
 * segment's members are removed.
 */
class ActivationIT extends DeployedWar {

    static final String HEADER = "customer_id,email,phone,first_name,last_name,country,zip,plan\n";

    @Test
    void membersFlowToTheListAndLeaveIt() throws Exception {
        FakeGoogle google = MicroDatabase.google;
        Http http = new Http(base).deployed();
        String csv = HEADER
                + "c1, Dana@Example.com ,+49 30 1234567,Dana,Schulz,DE,10115,pro\n"
                + "c2,john.doe+ads@gmail.com,,John,O'Brien,US,94045,pro\n"
                + "c3,,030 7654321,,,DE,,pro\n"
                + "c4,,,,,,,pro\n"
                + "c5,eve@example.org,,Eve,Adams,GB,SW1A 1AA,free\n";
        var upload = http.csv("api/datasets?name=Activation&key=customer_id", csv);
        assertEquals(201, upload.status(), upload.body());
        String dataset = upload.json().getString("datasetId");
        var patched = http.json("PATCH", "api/datasets/" + dataset, "{\"identifiers\": {\"email\": \"email\", "
                + "\"phone\": \"phone\", \"firstName\": \"first_name\", \"lastName\": \"last_name\", "
                + "\"countryCode\": \"country\", \"postalCode\": \"zip\", \"defaultPhoneRegion\": \"DE\"}}");
        assertEquals(200, patched.status(), patched.body());
        var created = http.json("POST", "api/segments", "{\"name\": \"Pro customers\", \"datasetId\": \"" + dataset
                + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}], "
                + "\"activation\": {\"googleAds\": {\"enabled\": true, \"userList\": null, "
                + "\"consent\": {\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"}}}}");
        assertEquals(201, created.status(), created.body());
        String segment = created.json().getString("id");

        // the list is created, recorded on the segment, and receives c1, c2 and c3 (c4 has no identifier)
        JsonObject withList = await(() -> http.get("api/segments/" + segment).json(),
                s -> !s.getJsonObject("activation").getJsonObject("googleAds").isNull("userList"), "the list to be created");
        String list = withList.getJsonObject("activation").getJsonObject("googleAds").getString("userList");
        assertTrue(list.matches("customers/1234567890/userLists/\\d+"), list);
        Map<String, Map<String, String>> rows = rows(csv);
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c2", "c3")),
                "the list to hold exactly c1, c2 and c3");
        JsonObject synced = await(() -> http.get("api/segments/" + segment).json(), s -> !s.isNull("lastSyncedAt"),
                "lastSyncedAt");
        assertNotNull(synced.getString("lastSyncedAt"));
        var runs = http.get("api/activation/runs?segmentId=" + segment).array();
        JsonObject planned = runs.stream().map(JsonObject.class::cast).filter(r -> r.getInt("plannedAdds") == 3)
                .findFirst().orElseThrow(() -> new AssertionError(runs.toString()));
        assertEquals(3, planned.getInt("sent"), planned.toString());
        assertEquals(1, planned.getInt("skipped"), "c4 has no usable identifier: " + planned);
        assertEquals("add", planned.getJsonArray("jobs").getJsonObject(0).getString("kind"));
        assertFalse(planned.getJsonArray("requestIds").isEmpty(), planned.toString());
        assertTrue(runs.stream().map(JsonObject.class::cast).anyMatch(r -> r.getInt("added") == 3), runs.toString());

        // c2 leaves: a separate remove job removes exactly c2's identifiers
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset + "/rows/c2", "{\"plan\": \"free\"}").status());
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c3")), "c2 to be removed from the list");
        assertTrue(google.jobs().contains("remove SUCCESS"), google.jobs().toString());
        assertTrue(google.jobs().stream().noneMatch(j -> j.startsWith("create") && j.contains("remove")));

        // Google throttles, collides and fails once each: the sync retries and c5 arrives
        google.fail("addOperations", FakeGoogle.Fault.quota("1s"), FakeGoogle.Fault.concurrentModification(),
                FakeGoogle.Fault.internal());
        int before = (int) google.requests().stream().filter(r -> r.endsWith(":addOperations")).count();
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset + "/rows/c5", "{\"plan\": \"pro\"}").status());
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c3", "c5")), "c5 to be added after retries");
        long calls = google.requests().stream().filter(r -> r.endsWith(":addOperations")).count() - before;
        assertEquals(4, calls, "three refused calls, then the one accepted: " + google.requests());
        assertEquals(0, google.jobs().stream().filter(j -> j.endsWith("RUNNING") || j.endsWith("PENDING")).count(),
                "no job left behind: " + google.jobs());

        // the segment is deleted: its members leave the list
        assertEquals(204, http.delete("api/segments/" + segment).status());
        await(() -> google.members(list), Set::isEmpty, "the deleted segment's members to be removed");
        assertFalse(google.uppercaseHashSeen(), "hashes are sent in lower case");
        JsonObject connection = http.get("api/activation/google-ads").json();
        assertTrue(connection.getBoolean("connected"), connection.toString());
        assertEquals("google-ads", connection.getString("api"));
        assertFalse(connection.toString().contains(FakeGoogle.REFRESH_TOKEN), "never a token");
    }

    /** The rows of the CSV by key, as stored (trimmed values, empty ones missing). */
    static Map<String, Map<String, String>> rows(String csv) {
        List<String> lines = csv.lines().toList();
        String[] header = lines.get(0).split(",");
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                if (!v[i].isBlank()) {
                    row.put(header[i], v[i].strip());
                }
            }
            rows.put(v[0], row);
        }
        return rows;
    }

    /** The people the fake's list should hold: each as its identifiers, as the fake records them. */
    static Set<String> expected(Map<String, Map<String, String>> rows, String... keys) {
        Identifiers roles = new Identifiers();
        roles.setColumn("email", "email");
        roles.setColumn("phone", "phone");
        roles.setColumn("firstName", "first_name");
        roles.setColumn("lastName", "last_name");
        roles.setColumn("countryCode", "country");
        roles.setColumn("postalCode", "zip");
        roles.setDefaultPhoneRegion("DE");
        Set<String> people = new TreeSet<>();
        for (String key : Arrays.asList(keys)) {
            CustomerIdentifiers ids = CustomerIdentifiers.of(rows.get(key), roles, true);
            Set<String> person = new TreeSet<>();
            if (ids.hashedEmail() != null) {
                person.add("hashedEmail=" + ids.hashedEmail());
            }
            if (ids.hashedPhoneNumber() != null) {
                person.add("hashedPhoneNumber=" + ids.hashedPhoneNumber());
            }
            if (ids.address() != null) {
                var a = ids.address();
                person.add("addressInfo=" + a.hashedFirstName() + "/" + a.hashedLastName() + "/" + a.countryCode() + "/" + a.postalCode());
            }
            people.add(person.stream().collect(Collectors.joining("|")));
        }
        return people;
    }
}
