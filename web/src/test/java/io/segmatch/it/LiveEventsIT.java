package io.segmatch.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.segmatch.it.ProcessingIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live stream ({@code GET /api/events}) on a real server: the state on connect, the new
 * count within 2 s of the run that committed it, the heartbeat, 100 clients of which one never
 * reads, disconnections cleaned up, and a reconnect with {@code Last-Event-ID}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveEventsIT extends DeployedWar {

    /** Within this of a run's commit, every reading client has the new state (docs/operations.md). */
    static final Duration PROMPT = Duration.ofSeconds(2);

    static String dataset;
    static String segment;
    static String lastId;

    /** The server's counters before this class's work: the server also ran the other test classes. */
    static double insertedBefore;
    static double runsBefore;
    static double enteredBefore;
    static double exitedBefore;

    @Test
    @Order(1)
    void aClientGetsTheStateOnConnectAndTheNewCountWithinTwoSecondsOfTheRun() throws Exception {
        Http http = new Http(base).deployed();
        insertedBefore = Math.max(0, Metrics.value(http, "segmatch_rows_ingested_total", "change=\"inserted\"")); // -1: not counted yet
        runsBefore = Math.max(0, Metrics.value(http, "segmatch_processing_runs_seconds_count", "status=\"completed\""));
        enteredBefore = Math.max(0, Metrics.value(http, "segmatch_memberships_entered_total"));
        exitedBefore = Math.max(0, Metrics.value(http, "segmatch_memberships_exited_total"));
        try (SseClient client = new SseClient(events(), null, http.authorization())) {
            assertTrue(client.contentType.startsWith("text/event-stream"), client.contentType);
            SseClient.Event first = client.await(e -> true, Duration.ofSeconds(3));
            assertEquals("segments", first.name());
            JsonObject state = json(first);
            assertNotNull(Instant.parse(state.getString("at")));
            assertTrue(state.containsKey("pendingChanges") && state.containsKey("segments"), state.toString());
            assertEquals("2000", client.retryValue(), "the browser reconnects after 2 s");

            var upload = http.csv("api/datasets?name=Live&key=id", "id,plan\n1,pro\n2,pro\n3,free\n");
            assertEquals(201, upload.status(), upload.body());
            dataset = upload.json().getString("datasetId");
            var created = http.json("POST", "api/segments", "{\"name\": \"Live pro\", \"datasetId\": \"" + dataset
                    + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}]}");
            assertEquals(201, created.status(), created.body());
            segment = created.json().getString("id");

            SseClient.Event live = client.await(e -> count(e, segment) == 2, Duration.ofSeconds(60));
            JsonObject evaluated = http.get("api/segments/" + segment).json();
            Instant committed = Instant.parse(evaluated.getString("lastEvaluatedAt"));
            assertTrue(Duration.between(committed, live.arrived()).compareTo(PROMPT) <= 0,
                    "the count arrived " + Duration.between(committed, live.arrived()) + " after the run committed it");
            JsonObject s = segmentIn(json(live), segment);
            assertEquals("live", s.getString("status"));
            assertEquals("Live pro", s.getString("name"));
            assertEquals(evaluated.getString("lastEvaluatedAt"), s.getString("lastEvaluatedAt"));
            assertTrue(s.isNull("lastSyncedAt"));

            // nothing changes: the heartbeat still comes, every 10 s
            int seen = client.events().size();
            SseClient.Event beat = client.await(e -> client.events().indexOf(e) >= seen, Duration.ofSeconds(13));
            assertEquals(2, count(beat, segment));
            lastId = beat.id();
        }
    }

    @Test
    @Order(2)
    void ninetyNineReadingClientsStayOnTimeBesideOneThatNeverReads() throws Exception {
        Http http = new Http(base).deployed();
        // ten viewers with ten streams each: the most one user may open (segmatch.events.max-clients-per-user)
        List<String> viewers = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            viewers.add(Http.as(base, "it-live-" + u, "viewer").authorization());
        }
        List<SseClient> readers = new ArrayList<>();
        Socket stalled = new Socket();
        try {
            // a client that asks for the stream and never reads a byte of it
            stalled.setReceiveBufferSize(1024);
            stalled.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            OutputStream request = stalled.getOutputStream();
            request.write(("GET " + base.getPath() + "api/events HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAccept: text/event-stream\r\nAuthorization: " + viewers.get(0) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            for (int i = 1; i < 100; i++) {
                readers.add(new SseClient(events(), null, viewers.get(i / 10)));
            }
            // an eleventh stream of the same user is refused
            IOException refused = assertThrows(IOException.class, () -> new SseClient(events(), null, viewers.get(3)).close());
            assertTrue(refused.getMessage().contains("429"), refused.getMessage());
            for (SseClient reader : readers) {
                reader.await(e -> count(e, segment) == 2, Duration.ofSeconds(10));
            }
            await(() -> clients(http), n -> n >= 100, "100 connected clients in the gauge");

            assertEquals(201, http.json("PUT", "api/datasets/" + dataset + "/rows/4", "{\"plan\": \"pro\"}").status());
            List<SseClient.Event> received = new ArrayList<>();
            for (SseClient reader : readers) {
                received.add(reader.await(e -> count(e, segment) == 3, Duration.ofSeconds(60)));
            }
            Instant committed = Instant.parse(http.get("api/segments/" + segment).json().getString("lastEvaluatedAt"));
            Instant last = received.stream().map(SseClient.Event::arrived).max(Instant::compareTo).orElseThrow();
            assertTrue(Duration.between(committed, last).compareTo(PROMPT) <= 0, "the last of the 99 reading clients had "
                    + "the new count " + Duration.between(committed, last) + " after the run committed it");
        } finally {
            readers.forEach(SseClient::close);
            stalled.close();
        }
        // every closed stream is noticed (at the latest when the next heartbeat cannot be written) and let go
        await(() -> clients(http), n -> n == 0, "the closed streams to be cleaned up");
    }

    @Test
    @Order(3)
    void aReconnectWithLastEventIdGetsTheCurrentStateAtOnce() throws Exception {
        assertNotNull(lastId);
        try (SseClient client = new SseClient(events(), lastId, new Http(base).authorization())) {
            SseClient.Event first = client.await(e -> true, Duration.ofSeconds(3));
            assertTrue(Long.parseLong(first.id()) > Long.parseLong(lastId), first.id() + " after " + lastId);
            assertEquals(3, count(first, segment));
        }
    }

    /** What happened on this server, in its application metrics. */
    @Test
    @Order(4)
    void theMetricsCountRowsRunsEntersAndClients() throws Exception {
        Http http = new Http(base).deployed();
        assertEquals(4, Metrics.value(http, "segmatch_rows_ingested_total", "change=\"inserted\"") - insertedBefore,
                "3 uploaded rows and 1 put");
        assertTrue(Metrics.value(http, "segmatch_processing_runs_seconds_count", "status=\"completed\"") - runsBefore >= 2,
                () -> "the runs that evaluated them: " + Metrics.text(http).lines()
                        .filter(l -> l.contains("segmatch_")).toList());
        assertTrue(Metrics.value(http, "segmatch_processing_runs_seconds_sum", "status=\"completed\"") > 0);
        assertEquals(3, Metrics.value(http, "segmatch_memberships_entered_total") - enteredBefore, "2 entered, then 1");
        assertEquals(0, Metrics.value(http, "segmatch_memberships_exited_total") - exitedBefore);
    }

    @Test
    @Order(5)
    void theStreamNeedsAUser() throws Exception {
        IOException refused = assertThrows(IOException.class, () -> new SseClient(events(), null, null).close());
        assertTrue(refused.getMessage().contains("401"), refused.getMessage());
        IOException forged = assertThrows(IOException.class,
                () -> new SseClient(events(), null, "Bearer smt_" + "A".repeat(43)).close());
        assertTrue(forged.getMessage().contains("401"), forged.getMessage());
    }

    private URL events() throws Exception {
        return base.toURI().resolve("api/events").toURL();
    }

    /** The connected-clients gauge, from the Prometheus metrics. */
    static int clients(Http http) {
        String metrics = Metrics.text(http);
        Matcher m = Pattern.compile("(?m)^segmatch_live_clients\\{[^}]*} ([0-9.]+)$").matcher(metrics);
        if (!m.find()) {
            throw new AssertionError("no segmatch_live_clients gauge in:\n" + metrics);
        }
        return (int) Double.parseDouble(m.group(1));
    }

    static JsonObject json(SseClient.Event e) {
        try (var reader = Json.createReader(new StringReader(e.data()))) {
            return reader.readObject();
        }
    }

    static JsonObject segmentIn(JsonObject state, String id) {
        return state.getJsonArray("segments").stream().map(JsonValue::asJsonObject)
                .filter(s -> s.getString("id").equals(id)).findFirst().orElse(null);
    }

    /** The segment's member count in the event, or -1. */
    static long count(SseClient.Event e, String id) {
        if (!"segments".equals(e.name())) {
            return -1;
        }
        JsonObject s = segmentIn(json(e), id);
        return s == null ? -1 : s.getJsonNumber("memberCount").longValue();
    }
}
