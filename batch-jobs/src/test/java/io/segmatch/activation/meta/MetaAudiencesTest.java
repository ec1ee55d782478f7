package io.segmatch.activation.meta;

import io.segmatch.activation.identifiers.MetaIdentifiers;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Meta client against the fake Graph API over real HTTP (the REST interface driven by a
 * JAX-RS client): audiences created, people added and removed in sessions of 10,000-row
 * batches, wrongly hashed rows counted, throttles waited out, final errors named, the
 * {@code appsecret_proof} checked.
 */
class MetaAudiencesTest {

    FakeMeta fake;
    Client client;
    final List<Long> waits = Collections.synchronizedList(new ArrayList<>());
    final List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
    /** What the calls waited so far: recorded instead of slept, and added to {@link #clock}. */
    final AtomicLong slept = new AtomicLong();
    /**
     * The system clock moved on by every recorded wait, as if it had been slept: a pause the
     * usage headers asked for is over once it was waited out, whatever millisecond the test ran in.
     */
    final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plusMillis(slept.get());
        }
    };

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

    MetaAudiences audiences(String token, String appSecret) {
        MetaSettings settings = new MetaSettings(fake.baseUrl(), "v26.0", FakeMeta.AD_ACCOUNT, token, appSecret,
                "USER_PROVIDED_ONLY", Duration.ofSeconds(10), Duration.ofMinutes(15), Duration.ofMinutes(15), false);
        MetaApi api = WebResourceFactory.newResource(MetaApi.class, client.target(fake.baseUrl()));
        MetaCalls calls = new MetaCalls(() -> token, appSecret, FakeMeta.AD_ACCOUNT, Duration.ofMinutes(15), Duration.ofMillis(1),
                outcomes::add, w -> {
                    waits.add(w);
                    slept.addAndGet(w);
                }, clock);
        return new MetaAudiences(api, calls, settings);
    }

    static String sha256(String v) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v.getBytes()));
    }

    /** {@code n} people, each with an email and a phone, in the identifiers' schema. */
    static List<List<String>> people(int from, int n) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            rows.add(List.of(sha256("person" + i + "@example.com"), sha256("4917" + (10_000_000 + i)), "", "", "", ""));
        }
        return rows;
    }

    @Test
    void anAudienceIsFilledInOneSessionOfBatchesAndEmptiedByTheSameHashes() throws Exception {
        MetaAudiences meta = audiences(FakeMeta.TOKEN, null);
        assertTrue(meta.termsAccepted());
        String id = meta.createAudience("Segmatch: German VIPs (0b7e4c1a)", "Members of the Segmatch segment German VIPs");
        List<List<String>> everyone = people(0, 25_000);
        long session = 7_142_137_687_269_777_831L;
        MetaAudiences.Sent last = null;
        for (int seq = 1, from = 0; from < everyone.size(); seq++, from += MetaAudiences.BATCH) {
            List<List<String>> batch = everyone.subList(from, Math.min(from + MetaAudiences.BATCH, everyone.size()));
            boolean isLast = from + MetaAudiences.BATCH >= everyone.size();
            last = meta.send(id, false, new MetaApi.Session(session, seq, isLast, 25_000L), MetaIdentifiers.SCHEMA, batch);
        }
        assertEquals(25_000, last.received(), "received so far in the session");
        assertEquals(0, last.invalid());
        assertEquals(25_000, fake.audienceSizes().get(id));
        var report = meta.report(id);
        assertEquals(22_500L, report.lowerBound());
        assertEquals(27_500L, report.upperBound());
        // a removal resends exactly the hashes that were added
        meta.send(id, true, new MetaApi.Session(session + 1, 1, true, null), MetaIdentifiers.SCHEMA, everyone.subList(0, 10_000));
        assertEquals(15_000, fake.audienceSizes().get(id));
        assertFalse(fake.members(id).contains(String.join("|", everyone.get(0))));
        assertTrue(fake.members(id).contains(String.join("|", everyone.get(10_000))));
        assertTrue(fake.requests().contains("POST /v26.0/" + id + "/users"));
        assertTrue(outcomes.stream().allMatch("success"::equals), outcomes.toString());
    }

    @Test
    void wronglyHashedRowsAreCountedWithSamplesAndTheRestAdded() throws Exception {
        MetaAudiences meta = audiences(FakeMeta.TOKEN, null);
        String id = meta.createAudience("Segmatch: test", "test");
        List<List<String>> rows = new ArrayList<>(people(0, 3));
        rows.add(List.of("Mary@Example.com", "", "", "", "", ""));
        rows.add(List.of("", "", "", "", "", ""));
        var sent = meta.send(id, false, new MetaApi.Session(42, 1, true, null), MetaIdentifiers.SCHEMA, rows);
        assertEquals(2, sent.invalid());
        assertEquals(2, sent.samples().size());
        assertTrue(sent.samples().values().stream().anyMatch(r -> r.contains("incorrect hashing for EMAIL")), sent.samples().toString());
        assertEquals(3, fake.audienceSizes().get(id));
    }

    @Test
    void sessionsCountFromOneAndEndWithTheLastBatch() throws Exception {
        MetaAudiences meta = audiences(FakeMeta.TOKEN, null);
        String id = meta.createAudience("Segmatch: test", "test");
        MetaException skipped = assertThrows(MetaException.class, () -> meta.send(id, false, new MetaApi.Session(7, 2, false, null),
                MetaIdentifiers.SCHEMA, people(0, 1)));
        assertEquals(List.of(2650, 1870147), List.of(skipped.code(), skipped.subcode()));
        meta.send(id, false, new MetaApi.Session(7, 1, true, null), MetaIdentifiers.SCHEMA, people(0, 1));
        MetaException finished = assertThrows(MetaException.class, () -> meta.send(id, false, new MetaApi.Session(7, 2, false, null),
                MetaIdentifiers.SCHEMA, people(1, 1)));
        assertEquals(1870159, finished.subcode());
        assertThrows(IllegalArgumentException.class, () -> meta.send(id, false, new MetaApi.Session(8, 1, true, null),
                MetaIdentifiers.SCHEMA, people(0, MetaAudiences.BATCH + 1)), "never more than 10,000 rows in a request");
    }

    @Test
    void aThrottleIsWaitedOutForTheTimeTheUsageHeaderGives() throws Exception {
        MetaAudiences meta = audiences(FakeMeta.TOKEN, null);
        String id = meta.createAudience("Segmatch: test", "test");
        fake.throttle(2, 4);
        var sent = meta.send(id, false, new MetaApi.Session(9, 1, true, null), MetaIdentifiers.SCHEMA, people(0, 10));
        assertEquals(10, sent.received());
        assertEquals(2, waits.stream().filter(w -> w == Duration.ofMinutes(4).toMillis()).count(), "two waits of four minutes: " + waits);
        assertEquals(List.of("success", "retried", "retried", "success"), outcomes);
    }

    @Test
    void finalErrorsSayWhatToDo() throws Exception {
        MetaException token = assertThrows(MetaException.class, () -> audiences("EAA-wrong", null).createAudience("x", "x"));
        assertEquals(MetaException.Kind.TOKEN, token.kind());
        fake.termsAccepted(false);
        MetaAudiences meta = audiences(FakeMeta.TOKEN, null);
        assertFalse(meta.termsAccepted());
        MetaException terms = assertThrows(MetaException.class, () -> meta.createAudience("x", "x"));
        assertEquals(MetaException.Kind.TERMS, terms.kind());
        assertTrue(terms.getMessage().contains("Custom Audience Terms Not Accepted")
                && terms.getMessage().contains("tos/?act=" + FakeMeta.AD_ACCOUNT), terms.getMessage());
        fake.termsAccepted(true);
        MetaException gone = assertThrows(MetaException.class, () -> meta.send("999", false, new MetaApi.Session(1, 1, true, null),
                MetaIdentifiers.SCHEMA, people(0, 1)));
        assertEquals(MetaException.Kind.AUDIENCE_GONE, gone.kind());
        assertEquals(List.of(), waits, "nothing final is retried");
    }

    @Test
    void withAnAppSecretEveryCallCarriesAValidProof() throws Exception {
        fake.appSecret("app-secret");
        String id = audiences(FakeMeta.TOKEN, "app-secret").createAudience("Segmatch: test", "test");
        assertTrue(fake.audienceSizes().containsKey(id));
        MetaException missing = assertThrows(MetaException.class, () -> audiences(FakeMeta.TOKEN, null).createAudience("y", "y"));
        assertTrue(missing.getMessage().contains("appsecret_proof"), missing.getMessage());
        MetaException wrong = assertThrows(MetaException.class, () -> audiences(FakeMeta.TOKEN, "other").createAudience("y", "y"));
        assertEquals(100, wrong.code());
    }

    @Test
    void aServerFailureIsRetriedAndTheFakeInjectsIt() throws Exception {
        MetaAudiences meta = audiences(FakeMeta.TOKEN, null);
        fake.fail("customaudiences", 2, 500, 2, 0, true);
        String id = meta.createAudience("Segmatch: test", "test");
        assertTrue(fake.audienceSizes().containsKey(id));
        assertEquals(List.of("retried", "retried", "success"), outcomes);
        assertEquals(2, waits.size());
    }
}
