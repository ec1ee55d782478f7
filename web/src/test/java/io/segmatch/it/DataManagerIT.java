package io.segmatch.it;

import io.segmatch.fake.google.FakeGoogle;
import io.segmatch.fake.google.Fault;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.segmatch.it.ActivationIT.expected;
import static io.segmatch.it.ActivationIT.expectedEmailHash;
import static io.segmatch.it.ActivationIT.rows;
import static io.segmatch.it.ProcessingIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Customer Match through the Data Manager API ({@code segmatch.googleads.api=data-manager}),
 * end to end against the fake: run by its own failsafe execution, whose server is configured
 * for that API. The list is created through the Google Ads API, members are sent with
 * {@code audienceMembers:ingest} and taken out with {@code audienceMembers:remove}; a call
 * that times out and one that is throttled are retried.
 */
class DataManagerIT extends DeployedWar {

    @Test
    void membersAreIngestedAndRemoved() throws Exception {
        FakeGoogle google = MicroDatabase.google;
        Http http = new Http(base).deployed();
        assertEquals("data-manager", http.get("api/activation/google-ads").json().getString("api"),
                "this server is configured for the Data Manager API");
        // the first ingest is not answered in time, the second is throttled: both retried
        google.fail("ingest", Fault.timeout(Duration.ofSeconds(8)), Fault.quota("1s"));
        ActivationIT.Activated activated = ActivationIT.activate(http, "DataManager", "DENIED");
        String dataset = activated.dataset();
        String segment = activated.segment();
        String list = activated.list();
        String csv = ActivationIT.CSV;
        String listId = list.substring(list.lastIndexOf('/') + 1);
        Map<String, Map<String, String>> rows = rows(csv);
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c2", "c3")),
                "the list to hold exactly c1, c2 and c3");
        assertEquals(3, google.requests().stream().filter(r -> r.endsWith("audienceMembers:ingest")).count(),
                "a timeout, a 429, then the accepted ingest: " + google.requests());

        List<JsonObject> ingests = bodies(google, "audienceMembers:ingest");
        JsonObject ingest = ingests.get(ingests.size() - 1);
        assertEquals("HEX", ingest.getString("encoding"));
        assertEquals("ACCEPTED", ingest.getJsonObject("termsOfService").getString("customerMatchTermsOfServiceStatus"));
        assertEquals("CONSENT_GRANTED", ingest.getJsonObject("consent").getString("adUserData"));
        assertEquals("CONSENT_DENIED", ingest.getJsonObject("consent").getString("adPersonalization"));
        JsonObject destination = ingest.getJsonArray("destinations").getJsonObject(0);
        assertEquals(listId, destination.getString("productDestinationId"));
        assertEquals("1234567890", destination.getJsonObject("operatingAccount").getString("accountId"));
        assertEquals("GOOGLE_ADS", destination.getJsonObject("operatingAccount").getString("accountType"));
        assertEquals(3, ingest.getJsonArray("audienceMembers").size(), "c4 has no usable identifier and is not sent");
        assertTrue(google.requests().stream().noneMatch(r -> r.contains("offlineUserDataJobs")),
                "no Google Ads job with this API: " + google.requests());

        JsonObject synced = await(() -> http.get("api/segments/" + segment).json(), s -> !s.isNull("lastSyncedAt"),
                "lastSyncedAt");
        assertFalse(synced.isNull("lastSyncedAt"));
        var runs = http.get("api/activation/runs?segmentId=" + segment).array();
        JsonObject run = runs.stream().map(JsonObject.class::cast).filter(r -> r.getInt("plannedAdds") == 3)
                .findFirst().orElseThrow(() -> new AssertionError(runs.toString()));
        assertEquals(3, run.getInt("sent"), run.toString());
        assertEquals(1, run.getInt("skipped"), run.toString());
        assertTrue(runs.stream().map(JsonObject.class::cast).noneMatch(r -> r.getString("status").equals("failed")),
                "the timeout and the 429 were retried within the sync: " + runs);

        // c2 leaves: exactly c2 is removed, through audienceMembers:remove (no consent on removals)
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset + "/rows/c2", "{\"plan\": \"free\"}").status());
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c3")), "c2 to be removed from the list");
        List<JsonObject> removes = bodies(google, "audienceMembers:remove");
        assertEquals(1, removes.size(), removes.toString());
        JsonObject remove = removes.get(0);
        assertFalse(remove.containsKey("consent"), remove.toString());
        assertEquals(1, remove.getJsonArray("audienceMembers").size(), remove.toString());
        assertTrue(remove.toString().contains(expectedEmailHash("johndoe@gmail.com")), "c2's canonical gmail hash: " + remove);

        // the segment is deleted: its members leave the list
        assertEquals(204, http.delete("api/segments/" + segment).status());
        await(() -> google.members(list), Set::isEmpty, "the deleted segment's members to be removed");
        assertFalse(google.uppercaseHashSeen(), "hashes are sent in lower case");
    }

    private static List<JsonObject> bodies(FakeGoogle google, String endpoint) {
        return google.bodies().stream().filter(b -> b.getString("endpoint").equals(endpoint))
                .map(b -> b.getJsonObject("body")).map(JsonValue::asJsonObject).toList();
    }
}
