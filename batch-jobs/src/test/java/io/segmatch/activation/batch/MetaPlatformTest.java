package io.segmatch.activation.batch;

import io.segmatch.activation.meta.MetaApi;
import io.segmatch.activation.meta.MetaAudiences;
import io.segmatch.activation.meta.MetaCalls;
import io.segmatch.activation.meta.MetaException;
import io.segmatch.activation.meta.MetaSettings;
import io.segmatch.activation.store.ActivatedSegment;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.JobStatus;
import io.segmatch.activation.store.SyncJobs;
import io.segmatch.fake.meta.FakeMeta;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import org.glassfish.jersey.client.proxy.WebResourceFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Meta as the sync engine's platform, against the fake Graph API over real HTTP: a job is one
 * upload session whose batches are numbered by position and whose last batch says so; a batch
 * Meta received already (its answer lost before a restart) or a session too old goes on in a
 * new session; a wait Meta asks for is handed back to the sync, not sat out; after a refused
 * token nothing more is sent in that sync.
 */
class MetaPlatformTest {

    FakeMeta fake;
    Client client;
    final List<MetaException> problems = new ArrayList<>();
    final List<String> outcomes = new ArrayList<>();

    static final ActivatedSegment SEGMENT = new ActivatedSegment("0b6c1f9e-6a0e-4d8e-9a55-3f1d2c4b5a69", "Pro customers", "ds", 1,
            false, Destination.META, null, "UNSPECIFIED", "UNSPECIFIED");

    @BeforeEach
    void start() throws Exception {
        fake = FakeMeta.start();
        client = ClientBuilder.newClient();
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    MetaPlatform platform() {
        MetaSettings settings = new MetaSettings(fake.baseUrl(), "v26.0", FakeMeta.AD_ACCOUNT, FakeMeta.TOKEN, null,
                "USER_PROVIDED_ONLY", Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(30), false);
        MetaApi api = WebResourceFactory.newResource(MetaApi.class, client.target(fake.baseUrl()));
        MetaCalls calls = new MetaCalls(() -> FakeMeta.TOKEN, settings, Duration.ofMillis(1), settings.waitInPlace(), outcomes::add);
        return new MetaPlatform(new MetaAudiences(api, calls, settings), problems::add, Clock.systemUTC());
    }

    static String sha256(String v) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v.getBytes()));
    }

    /** People at positions from..to-1, each with an email only. */
    static List<SyncJobs.Item> people(int from, int to) throws Exception {
        List<SyncJobs.Item> items = new ArrayList<>();
        for (int i = from; i < to; i++) {
            items.add(new SyncJobs.Item(i, "k" + i, "[\"" + sha256("p" + i + "@example.com") + "\",\"\",\"\",\"\",\"\",\"\"]"));
        }
        return items;
    }

    static SyncJobs.Job job(String audience, String kind, String resource) {
        return new SyncJobs.Job(7, 3, SEGMENT.id(), Destination.META, audience, kind, JobStatus.CREATED, resource, null, null,
                -1, 0, false, 0, null);
    }

    @Test
    void aJobIsOneSessionOfNumberedBatchesEndingWithTheLast() throws Exception {
        MetaPlatform meta = platform();
        String audience = meta.createList(SEGMENT);
        assertEquals(1, fake.audienceSizes().size());
        String session = meta.createJob(job(audience, "add", null), SEGMENT);
        assertTrue(session.matches("session/\\d+/0/\\d+"), session);
        SyncJobs.Job job = job(audience, "add", session);
        List<SyncJobs.Item> all = people(0, 25_000);
        for (int from = 0; from < all.size(); from += 10_000) {
            List<SyncJobs.Item> batch = all.subList(from, Math.min(from + 10_000, all.size()));
            Platform.Sent sent = meta.send(job, batch, from + 10_000 >= all.size(), SEGMENT);
            assertNull(sent.resourceName(), "the same session throughout");
            assertEquals(0, sent.invalid());
        }
        assertEquals(25_000, fake.audienceSizes().get(audience));
        // the session ended with its last batch: one more is refused by Meta, and goes in a new session
        Platform.Sent again = meta.send(job, people(25_000, 25_001), true, SEGMENT);
        assertNotNull(again.resourceName());
        assertTrue(again.resourceName().matches("session/\\d+/25000/\\d+"), again.resourceName());
        assertEquals(25_001, fake.audienceSizes().get(audience));
        assertEquals("SUCCESS", meta.status(job).status(), "Meta answers each batch at once: nothing to wait for");
    }

    @Test
    void aBatchMetaReceivedAlreadyGoesOnInANewSession() throws Exception {
        MetaPlatform meta = platform();
        String audience = meta.createList(SEGMENT);
        SyncJobs.Job job = job(audience, "add", meta.createJob(job(audience, "add", null), SEGMENT));
        List<SyncJobs.Item> first = people(0, 10_000);
        assertNull(meta.send(job, first, false, SEGMENT).resourceName());
        // restarted before recording the batch: it is sent again, as batch 1 of the same session
        Platform.Sent resent = meta.send(job, first, false, SEGMENT);
        assertNotNull(resent.resourceName(), "Meta refused batch 1 twice in one session: a new session took it");
        assertNotEquals(job.resourceName().split("/")[1], resent.resourceName().split("/")[1]);
        // the next batch is batch 2 of the new session
        Platform.Sent next = meta.send(job(audience, "add", resent.resourceName()), people(10_000, 12_000), true, SEGMENT);
        assertNull(next.resourceName());
        assertEquals(12_000, fake.audienceSizes().get(audience), "everyone once, the resent ones counted once");
    }

    @Test
    void aSessionOlderThanMetaKeepsItOpenIsNotContinued() throws Exception {
        MetaPlatform meta = platform();
        String audience = meta.createList(SEGMENT);
        long old = Instant.now().minus(Duration.ofMinutes(80)).getEpochSecond();
        Platform.Sent sent = meta.send(job(audience, "add", "session/4242/0/" + old), people(10_000, 10_010), true, SEGMENT);
        assertNotNull(sent.resourceName());
        assertTrue(sent.resourceName().matches("session/\\d+/10000/\\d+"), "a new session from this batch: " + sent.resourceName());
        assertEquals(10, fake.audienceSizes().get(audience));
    }

    @Test
    void removalsResendTheAcknowledgedRows() throws Exception {
        MetaPlatform meta = platform();
        String audience = meta.createList(SEGMENT);
        List<SyncJobs.Item> people = people(0, 30);
        meta.send(job(audience, "add", meta.createJob(job(audience, "add", null), SEGMENT)), people, true, SEGMENT);
        meta.send(job(audience, "remove", meta.createJob(job(audience, "remove", null), SEGMENT)), people.subList(0, 10), true,
                SEGMENT);
        assertEquals(20, fake.audienceSizes().get(audience));
    }

    @Test
    void rowsWithTheKeyGoWithExternIdInTheSchema() throws Exception {
        MetaPlatform meta = platform();
        String audience = meta.createList(SEGMENT);
        String hash = sha256("ada@example.com");
        List<SyncJobs.Item> items = List.of(
                new SyncJobs.Item(0, "k0", "[\"" + hash + "\",\"\",\"\",\"\",\"\",\"\",\"cust-0\"]"),
                // acknowledged before EXTERN_ID was switched on: a blank one
                new SyncJobs.Item(1, "k1", "[\"" + sha256("bob@example.com") + "\",\"\",\"\",\"\",\"\",\"\"]"));
        meta.send(job(audience, "add", meta.createJob(job(audience, "add", null), SEGMENT)), items, true, SEGMENT);
        assertEquals(java.util.Set.of(hash + "||||||cust-0", sha256("bob@example.com") + "||||||"), fake.members(audience),
                "the key as it is, in the EXTERN_ID column");
    }

    @Test
    void aWaitMetaAsksForIsHandedBackToTheSync() throws Exception {
        MetaPlatform meta = platform();
        String audience = meta.createList(SEGMENT);
        SyncJobs.Job job = job(audience, "add", meta.createJob(job(audience, "add", null), SEGMENT));
        fake.throttle(1, 2);
        long t0 = System.nanoTime();
        MetaException e = assertThrows(MetaException.class, () -> meta.send(job, people(0, 5), true, SEGMENT));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "not sat out in the call");
        assertEquals(80003, e.code());
        assertEquals(Duration.ofMinutes(2), meta.pause(e), "the usage header's time to regain access");
        assertTrue(outcomes.contains("deferred"), outcomes.toString());
        assertEquals(List.of(), problems, "a throttle is not a problem to show");
        assertEquals(0, fake.members(audience).size());
        assertNull(meta.pause(new IllegalStateException("not Meta's")));
    }

    @Test
    void afterARefusedTokenNothingMoreIsSent() throws Exception {
        MetaPlatform meta = platform();
        String audience = meta.createList(SEGMENT);
        fake.token("EAASomeOtherToken");
        SyncJobs.Job job = job(audience, "add", meta.createJob(job(audience, "add", null), SEGMENT));
        MetaException first = assertThrows(MetaException.class, () -> meta.send(job, people(0, 5), true, SEGMENT));
        assertEquals(MetaException.Kind.TOKEN, first.kind());
        assertTrue(meta.message(first).contains("new system user token"), meta.message(first));
        int requests = fake.requests().size();
        MetaException again = assertThrows(MetaException.class, () -> meta.createList(SEGMENT));
        assertSame(first, again, "the same refusal, without asking Meta again");
        assertEquals(requests, fake.requests().size());
        assertEquals(List.of(first), problems, "shown once on the Meta page");
    }
}
