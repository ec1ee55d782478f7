package io.segmatch.it;

import com.google.ads.googleads.v23.enums.OfflineUserDataJobTypeEnum;
import com.google.ads.googleads.v23.services.AddOfflineUserDataJobOperationsRequest;
import com.google.ads.googleads.v23.services.CreateOfflineUserDataJobRequest;
import com.google.ads.googleads.v23.services.MutateUserListsRequest;
import com.google.ads.googleads.v23.services.RunOfflineUserDataJobRequest;
import com.google.ads.googleads.v23.services.SearchGoogleAdsRequest;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.segmatch.activation.identifiers.CustomerIdentifiers;
import io.segmatch.activation.identifiers.Hashing;
import io.segmatch.datasets.entity.Identifiers;
import io.segmatch.fake.google.FakeGoogle;
import io.segmatch.fake.google.Fault;
import io.segmatch.testing.TestDatabase;
import jakarta.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
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
@org.junit.jupiter.api.TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActivationIT extends DeployedWar {

    static final String HEADER = "customer_id,email,phone,first_name,last_name,country,zip,plan\n";
    /** c1–c3 are "pro" with usable identifiers, c4 is "pro" with none, c5 is not "pro". */
    static final String CSV = HEADER
            + "c1, Dana@Example.com ,+49 30 1234567,Dana,Schulz,DE,10115,pro\n"
            + "c2,john.doe+ads@gmail.com,,John,O'Brien,US,94045,pro\n"
            + "c3,,030 7654321,,,DE,,pro\n"
            + "c4,,,,,,,pro\n"
            + "c5,eve@example.org,,Eve,Adams,GB,SW1A 1AA,free\n";

    /** A dataset of {@link #CSV} with every identifier role, its activated "pro" segment, and the segment's list. */
    record Activated(String dataset, String segment, String list) {
    }

    /** Uploads {@link #CSV}, sets the identifier roles, creates the activated segment and waits for its list. */
    static Activated activate(Http http, String datasetName, String adPersonalization) throws InterruptedException {
        var upload = http.csv("api/datasets?name=" + datasetName + "&key=customer_id", CSV);
        assertEquals(201, upload.status(), upload.body());
        String dataset = upload.json().getString("datasetId");
        var patched = http.json("PATCH", "api/datasets/" + dataset, "{\"identifiers\": {\"email\": \"email\", "
                + "\"phone\": \"phone\", \"firstName\": \"first_name\", \"lastName\": \"last_name\", "
                + "\"countryCode\": \"country\", \"postalCode\": \"zip\", \"defaultPhoneRegion\": \"DE\"}}");
        assertEquals(200, patched.status(), patched.body());
        var created = http.json("POST", "api/segments", "{\"name\": \"Pro customers\", \"datasetId\": \"" + dataset
                + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}], "
                + "\"activation\": {\"googleAds\": {\"enabled\": true, \"userList\": null, "
                + "\"consent\": {\"adUserData\": \"GRANTED\", \"adPersonalization\": \"" + adPersonalization + "\"}}}}");
        assertEquals(201, created.status(), created.body());
        String segment = created.json().getString("id");
        JsonObject withList = await(() -> http.get("api/segments/" + segment).json(),
                s -> !s.getJsonObject("activation").getJsonObject("googleAds").isNull("userList"), "the list to be created");
        return new Activated(dataset, segment, withList.getJsonObject("activation").getJsonObject("googleAds").getString("userList"));
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void membersFlowToTheListAndLeaveIt() throws Exception {
        FakeGoogle google = MicroDatabase.google;
        Http http = new Http(base).deployed();
        String csv = CSV;
        // the list's creation is carried out, but its answer comes after the client's timeout:
        // the retried create meets the name in use and takes that list, not a second one
        int listsBefore = google.userLists().size();
        long createsBefore = google.requests().stream().filter(r -> r.endsWith("userLists:mutate")).count();
        google.fail("userLists:mutate", Fault.lateAnswer(Duration.ofSeconds(8)));
        Activated activated = activate(http, "Activation", "GRANTED");
        String dataset = activated.dataset();
        String segment = activated.segment();
        String list = activated.list();

        // the list is created, recorded on the segment, and receives c1, c2 and c3 (c4 has no identifier)
        assertTrue(list.matches("customers/1234567890/userLists/\\d+"), list);
        assertEquals(listsBefore + 1, google.userLists().size(), "one list, though its create was sent twice: "
                + google.requests());
        assertEquals(2, google.requests().stream().filter(r -> r.endsWith("userLists:mutate")).count()
                - createsBefore, "the create timed out and was retried: " + google.requests());
        Map<String, Map<String, String>> rows = rows(csv);
        // (the previous test class's server may have left a run "running": taken for lost after 10 s)
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
        String page = http.get("segments/view.xhtml?id=" + segment).body();
        assertTrue(page.contains("3 added to the list.") && page.contains("1 member has no usable email, phone or full address"),
                "the segment page tells the sync history in words: " + page);

        // c2 leaves: a separate remove job removes exactly c2's identifiers
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset + "/rows/c2", "{\"plan\": \"free\"}").status());
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c3")), "c2 to be removed from the list");
        assertTrue(google.jobs().contains("remove SUCCESS"), google.jobs().toString());
        assertTrue(google.jobs().stream().noneMatch(j -> j.startsWith("create") && j.contains("remove")));

        // Google throttles, collides, fails and does not answer in time once each: the sync
        // retries and c5 arrives
        google.fail("addOperations", Fault.quota("1s"), Fault.concurrentModification(),
                Fault.internal(), Fault.timeout(Duration.ofSeconds(8)));
        int before = (int) google.requests().stream().filter(r -> r.endsWith(":addOperations")).count();
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset + "/rows/c5", "{\"plan\": \"pro\"}").status());
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c3", "c5")), "c5 to be added after retries");
        long calls = google.requests().stream().filter(r -> r.endsWith(":addOperations")).count() - before;
        assertEquals(5, calls, "four refused calls, then the one accepted: " + google.requests());
        var afterRetries = http.get("api/activation/runs?segmentId=" + segment + "&limit=100").array();
        String newest = http.get("api/activation/runs?segmentId=" + segment + "&limit=1").body();
        assertTrue(newest.matches("\\[\\{\"id\":\\d+,\"segmentId\":\"" + segment + "\",\"destination\":\"google-ads\",\"status\":\"[a-z]+\",\"startedAt\":\"[^\"]+\","
                + "\"endedAt\":(null|\"[^\"]+\"),\"plannedAdds\":\\d+,\"plannedRemoves\":\\d+,\"sent\":\\d+,\"added\":\\d+,"
                + "\"removed\":\\d+,\"rejected\":\\d+,\"rejectedByCode\":\\{[^}]*},\"skipped\":\\d+,\"userList\":(null|\"[^\"]+\"),"
                + "(\"plan\":\\{\"scope\":\"[a-z]+\",\"examined\":\\d+,\"millis\":\\d+},)?\"listSize\":(null|\\d+),"
                + "\"matchRate\":(null|\\d+),\"requestIds\":\\[.*],\"jobs\":\\[.*]\\}]"), "a sync run's fields in their order: " + newest);
        String shownConnection = http.get("api/activation/google-ads").body();
        assertTrue(shownConnection.matches("\\{\"connected\":(true|false),\"needsReconnect\":(true|false),\"customerId\":(null|\"[^\"]*\"),"
                + "\"loginCustomerId\":(null|\"[^\"]*\"),\"api\":\"[a-z-]+\",\"lastSync\":(null|\"[^\"]+\")(,\"problem\":\".*\")?}"),
                "the connection's fields in their order: " + shownConnection);
        assertTrue(afterRetries.stream().map(JsonObject.class::cast).noneMatch(r -> r.getString("status").equals("failed")),
                "the refusals were retried within the sync, not failed: " + afterRetries);
        assertEquals(0, google.jobs().stream().filter(j -> j.endsWith("RUNNING") || j.endsWith("PENDING")).count(),
                "no job left behind: " + google.jobs());

        // the sync stops between addOperations and :run (here: :run refused once, finally); the
        // next sync resumes that same job — no second job, nobody lost, nothing sent twice
        google.fail("run", Fault.permissionDenied());
        int jobsBefore = google.jobs().size();
        assertEquals(201, http.json("PUT", "api/datasets/" + dataset + "/rows/c6",
                "{\"email\": \"Frank@Example.net\", \"plan\": \"pro\", \"country\": \"DE\"}").status());
        rows.put("c6", Map.of("customer_id", "c6", "email", "Frank@Example.net", "plan", "pro", "country", "DE"));
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c3", "c5", "c6")), "c6 to be added after the interruption");
        assertEquals(jobsBefore + 1, google.jobs().size(), "one job for c6, resumed rather than made again: " + google.jobs());
        var interrupted = http.get("api/activation/runs?segmentId=" + segment + "&limit=100").array();
        assertTrue(interrupted.stream().map(JsonObject.class::cast).anyMatch(r -> r.getString("status").equals("failed")
                && r.getString("error").contains("USER_PERMISSION_DENIED")), "the refusal is shown in plain words: " + interrupted);
        long sentForC6 = google.bodies().stream().filter(b -> b.getString("endpoint").endsWith(":addOperations"))
                .filter(b -> b.getJsonObject("body").toString().contains(expectedEmailHash("frank@example.net"))).count();
        assertEquals(1, sentForC6, "c6 was sent once");

        // Google refuses one person (a per-row error): the others of the call are kept, the
        // refusal is recorded with its code, and the same identifiers are not sent again
        String refusedHash = expectedEmailHash("grace@example.net");
        google.refuse(refusedHash, "INVALID_SHA256_FORMAT");
        assertEquals(201, http.json("PUT", "api/datasets/" + dataset + "/rows/c7",
                "{\"email\": \"grace@example.net\", \"plan\": \"pro\"}").status());
        assertEquals(201, http.json("PUT", "api/datasets/" + dataset + "/rows/c8",
                "{\"email\": \"heidi@example.net\", \"plan\": \"pro\"}").status());
        rows.put("c8", Map.of("customer_id", "c8", "email", "heidi@example.net", "plan", "pro"));
        await(() -> google.members(list), m -> m.equals(expected(rows, "c1", "c3", "c5", "c6", "c8")),
                "c8 added while c7 is refused");
        JsonObject refusedRun = await(() -> http.get("api/activation/runs?segmentId=" + segment + "&limit=100").array()
                        .stream().map(JsonObject.class::cast).filter(r -> r.getInt("rejected") == 1).findFirst().orElse(null),
                Objects::nonNull, "the refusal to be recorded");
        assertEquals(1, refusedRun.getJsonObject("rejectedByCode").getInt("INVALID_SHA256_FORMAT"), refusedRun.toString());
        for (int i = 0; i < 2; i++) {
            // a sync of our own: while the timer's is running, the request starts none (started: false)
            int count = startSync(http, segment);
            await(() -> http.get("api/activation/runs?segmentId=" + segment + "&limit=100").array(),
                    a -> a.size() > count && a.getJsonObject(0).getString("status").matches("completed|waiting|failed"),
                    "a requested sync to end");
        }
        assertEquals(1, google.bodies().stream().filter(b -> b.getString("endpoint").endsWith(":addOperations"))
                .filter(b -> b.getJsonObject("body").toString().contains(refusedHash)).count(),
                "the refused identifiers were not sent again");

        // the segment is deleted: its members leave the list, five people in jobs of at most
        // three (segmatch.googleads.job-people in these tests), sent and settled one after the other
        assertEquals(204, http.delete("api/segments/" + segment).status());
        await(() -> google.members(list), Set::isEmpty, "the deleted segment's members to be removed");
        JsonObject removal = await(() -> http.get("api/activation/runs?segmentId=" + segment + "&limit=100").array()
                        .stream().map(JsonObject.class::cast).filter(r -> r.getInt("plannedRemoves") == 5).findFirst().orElse(null),
                r -> r != null && r.getString("status").equals("completed"), "the run that planned the five removes to complete");
        assertEquals(List.of("remove 3 success", "remove 2 success"), removal.getJsonArray("jobs").stream()
                .map(JsonObject.class::cast).map(j -> j.getString("kind") + " " + j.getInt("people") + " " + j.getString("status"))
                .toList(), removal.toString());
        assertEquals(5, removal.getInt("removed"), removal.toString());
        assertTrue(removal.getJsonArray("jobs").stream().map(JsonObject.class::cast).allMatch(j -> j.getInt("recordedMillis") >= 0),
                removal.toString());
        assertEquals(0, google.jobs().stream().filter(j -> j.endsWith("RUNNING") || j.endsWith("PENDING")).count(),
                "no job left behind: " + google.jobs());
        assertFalse(google.uppercaseHashSeen(), "hashes are sent in lower case");
        JsonObject connection = http.get("api/activation/google-ads").json();
        assertTrue(connection.getBoolean("connected"), connection.toString());
        assertEquals("google-ads", connection.getString("api"));
        assertFalse(connection.toString().contains(FakeGoogle.REFRESH_TOKEN), "never a token");

        // the metrics saw Google's answers and the syncs
        assertTrue(Metrics.value(http, "segmatch_google_requests_total", "outcome=\"success\"") > 10);
        assertTrue(Metrics.value(http, "segmatch_google_requests_total", "outcome=\"retried\"") >= 5,
                "the late list create, 429, CONCURRENT_MODIFICATION, 500 and the timeout");
        assertTrue(Metrics.value(http, "segmatch_google_requests_total", "outcome=\"failed\"") >= 1, "the final 403");
        assertTrue(Metrics.value(http, "segmatch_segment_syncs_total", "status=\"completed\"") >= 1);
        assertTrue(Metrics.value(http, "segmatch_segment_syncs_total", "status=\"failed\"") >= 1);
    }

    /**
     * The console's connect flow through the fake's consent page: the state is checked, the
     * refresh token is stored encrypted and used; Google's {@code invalid_grant} later shows
     * as a reconnect prompt.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void connectingGoogleAdsStoresTheRefreshTokenEncrypted() throws Exception {
        FakeGoogle google = MicroDatabase.google;
        Http http = new Http(base).deployed();
        // an admin's browser: its session cookie binds the OAuth state to it
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String admin = http.authorization();
        var start = browser.send(HttpRequest.newBuilder(base.toURI().resolve("oauth/google-ads/start"))
                        .header("Authorization", admin).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, start.statusCode());
        String consent = start.headers().firstValue("Location").orElseThrow();
        assertTrue(consent.startsWith(google.baseUrl() + "/auth?"), consent);
        String decoded = URLDecoder.decode(consent, StandardCharsets.UTF_8);
        assertTrue(decoded.contains("scope=https://www.googleapis.com/auth/adwords https://www.googleapis.com/auth/datamanager"), decoded);
        assertTrue(decoded.contains("access_type=offline") && decoded.contains("prompt=consent"), decoded);
        assertTrue(decoded.contains("redirect_uri=" + base.toString() + "oauth/google-ads/callback"), decoded);
        assertTrue(decoded.matches(".*state=[A-Za-z0-9_-]{32}.*"), decoded);

        // a callback whose state was not handed out here is refused, and stores nothing
        var forged = browser.send(HttpRequest.newBuilder(base.toURI()
                .resolve("oauth/google-ads/callback?code=4/x&state=forged")).header("Authorization", admin).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(forged.headers().firstValue("Location").orElseThrow().contains("google-ads.xhtml?error="), forged.headers().map().toString());

        // the consent page sends the browser back with a code: exchanged and stored
        var granted = browser.send(HttpRequest.newBuilder(URI.create(consent)).build(),
                HttpResponse.BodyHandlers.ofString());
        String callback = granted.headers().firstValue("Location").orElseThrow();
        // the right state, but in another session (even of an admin): refused, and the state stays usable
        var stranger = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(URI.create(callback)).header("Authorization", admin).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertTrue(stranger.headers().firstValue("Location").orElseThrow().contains("error="),
                "a state is bound to the session that started the connection");
        var back = browser.send(HttpRequest.newBuilder(URI.create(callback)).header("Authorization", admin).build(),
                HttpResponse.BodyHandlers.ofString());
        String landing = back.headers().firstValue("Location").orElseThrow();
        assertTrue(landing.endsWith("/google-ads.xhtml?connected=true"), landing);
        var replayed = browser.send(HttpRequest.newBuilder(URI.create(callback)).header("Authorization", admin).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(replayed.headers().firstValue("Location").orElseThrow().contains("error="), "a state is used once");
        String page = http.get("google-ads.xhtml?connected=true").body();
        assertTrue(page.contains("Google Ads is connected") && page.contains(">connected<"), page);
        try (var c = DriverManager.getConnection(MicroDatabase.url, TestDatabase.user(), TestDatabase.password());
             var rs = c.createStatement().executeQuery("SELECT refresh_token FROM google_ads_connection WHERE id = 1")) {
            assertTrue(rs.next());
            String stored = new String(rs.getBytes(1), StandardCharsets.ISO_8859_1);
            assertFalse(stored.contains("1//fake"), "the refresh token is stored encrypted");
        }

        // Google revokes it: the next sync meets invalid_grant, and the console asks for a reconnect
        google.revokeRefreshTokens();
        try {
            var created = http.json("POST", "api/segments", "{\"name\": \"Revoked\", \"datasetId\": \""
                    + withColumn(http, "plan")
                    + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"free\"}], "
                    + "\"activation\": {\"googleAds\": {\"enabled\": true, \"userList\": null, "
                    + "\"consent\": {\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"}}}}");
            assertEquals(201, created.status(), created.body());
            JsonObject state = await(() -> http.get("api/activation/google-ads").json(), s -> s.getBoolean("needsReconnect"),
                    "the connection to need a reconnect (Google's requests: " + google.requests().subList(
                            Math.max(0, google.requests().size() - 8), google.requests().size()) + ", runs: "
                            + http.get("api/activation/runs?limit=3").body() + ")");
            assertTrue(state.getString("problem").contains("invalid_grant"), state.toString());
            // the connection is marked as the refusal comes back; the segment's run records its end just after
            var runs = await(() -> http.get("api/activation/runs?segmentId=" + created.json().getString("id")).array(),
                    list -> list.stream().map(JsonObject.class::cast).anyMatch(r -> r.getString("status").equals("failed")
                            && r.getString("error").contains("reconnect Google Ads")), "the segment's sync to fail");
            assertTrue(http.get("google-ads.xhtml").body().contains("Reconnect Google Ads"));
            assertFalse(runs.toString().contains("1//fake"), "never a token");
        } finally {
            google.restoreRefreshToken();
        }
    }

    /**
     * Every body sent to the fake Google Ads API during these tests parses, strictly (an
     * unknown field fails), into Google's own generated request classes (v23; the Customer
     * Match messages are the same through v26): our field names and enum values are Google's.
     */
    @Test
    @org.junit.jupiter.api.Order(3)
    void everyRequestBodyIsGooglesOwnShape() throws Exception {
        Map<String, Supplier<Message.Builder>> classes = Map.of(
                "userLists:mutate", MutateUserListsRequest::newBuilder,
                "offlineUserDataJobs:create", CreateOfflineUserDataJobRequest::newBuilder,
                "offlineUserDataJobs/ID:addOperations", AddOfflineUserDataJobOperationsRequest::newBuilder,
                "offlineUserDataJobs/ID:run", RunOfflineUserDataJobRequest::newBuilder,
                "googleAds:search", SearchGoogleAdsRequest::newBuilder);
        var parser = JsonFormat.parser();
        Set<String> seen = new TreeSet<>();
        for (JsonObject sent : MicroDatabase.google.bodies()) {
            String endpoint = sent.getString("endpoint");
            if (endpoint.startsWith("audienceMembers:")) {
                continue; // the Data Manager API's classes are not in the Google Ads stubs
            }
            var builder = classes.get(endpoint);
            assertNotNull(builder, "a request to an endpoint we do not model: " + endpoint);
            var message = builder.get();
            parser.merge(sent.getJsonObject("body").toString(), message);
            seen.add(endpoint);
            if (message instanceof AddOfflineUserDataJobOperationsRequest.Builder add) {
                assertTrue(add.getEnablePartialFailure(), "partial failure is always on");
                add.getOperationsList().forEach(op -> {
                    var data = op.hasCreate() ? op.getCreate() : op.getRemove();
                    assertFalse(data.getUserIdentifiersList().isEmpty());
                    data.getUserIdentifiersList().forEach(id -> assertTrue(id.hasHashedEmail() || id.hasHashedPhoneNumber()
                            || id.hasAddressInfo(), id.toString()));
                });
            }
            if (message instanceof CreateOfflineUserDataJobRequest.Builder create) {
                assertEquals(OfflineUserDataJobTypeEnum.OfflineUserDataJobType
                        .CUSTOMER_MATCH_USER_LIST, create.getJob().getType());
                assertTrue(create.getJob().getExternalId() > 0, "a deterministic externalId");
            }
        }
        assertEquals(new TreeSet<>(classes.keySet()), seen, "every kind of request was made and checked");
    }

    /** Starts a sync on request (waiting out one already running); returns the segment's run count before it. */
    static int startSync(Http http, String segment) throws InterruptedException {
        int[] count = new int[1];
        Awaitility.await("a sync to be started on request").atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
                    count[0] = http.get("api/activation/runs?segmentId=" + segment + "&limit=100").array().size();
                    var started = http.json("POST", "api/activation/runs", "");
                    assertEquals(202, started.status(), started.body());
                    return started.json().getBoolean("started");
                });
        return count[0];
    }

    static String expectedEmailHash(String normalizedEmail) {
        return Hashing.sha256(normalizedEmail);
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

    /** The identifier roles {@link #activate} gives the dataset of {@link #CSV}. */
    static Identifiers roles() {
        Identifiers roles = new Identifiers();
        roles.setColumn("email", "email");
        roles.setColumn("phone", "phone");
        roles.setColumn("firstName", "first_name");
        roles.setColumn("lastName", "last_name");
        roles.setColumn("countryCode", "country");
        roles.setColumn("postalCode", "zip");
        roles.setDefaultPhoneRegion("DE");
        return roles;
    }

    /** The people the fake's list should hold: each as its identifiers, as the fake records them. */
    static Set<String> expected(Map<String, Map<String, String>> rows, String... keys) {
        Identifiers roles = roles();
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

    /** A dataset of this server with that column (other test classes may have left theirs in the database). */
    private static String withColumn(Http http, String column) {
        return http.get("api/datasets").array().stream().map(JsonObject.class::cast)
                .filter(d -> d.getJsonArray("columns").stream()
                        .anyMatch(c -> c.asJsonObject().getString("name").equals(column)))
                .map(d -> d.getString("id")).findFirst()
                .orElseThrow(() -> new AssertionError("no dataset with a column " + column));
    }
}
