package io.segmatch.activation.meta;

import io.segmatch.activation.google.CannedResponse;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Meta's retry policy without a server: errors classified by code and subcode (not by HTTP
 * status), throttles waited out for the time the usage headers give, final errors worded with
 * what the user must do, and the {@code appsecret_proof} of Meta's documentation.
 */
class MetaCallsTest {

    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration LONGEST = Duration.ofMinutes(15);

    /** A clock that the recorded waits move forward, so pauses are seen to end. */
    static final class Time extends Clock {
        long millis = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    final Time time = new Time();
    final List<Long> waits = new ArrayList<>();
    final List<String> outcomes = new ArrayList<>();
    final List<MetaCalls.Auth> sent = new ArrayList<>();

    MetaCalls calls(String appSecret) {
        return new MetaCalls(() -> "EAAB-token", appSecret, "1234567890", LONGEST, FIRST, outcomes::add, ms -> {
            waits.add(ms);
            time.millis += ms;
        }, time);
    }

    Function<MetaCalls.Auth, Response> script(List<Response> answers) {
        Iterator<Response> next = answers.iterator();
        return auth -> {
            sent.add(auth);
            return next.next();
        };
    }

    static Response error(int status, int code, int subcode, String extra) {
        return new CannedResponse(status, "{\"error\": {\"message\": \"Message describing the error\", \"type\": \"OAuthException\", "
                + "\"code\": " + code + (subcode == 0 ? "" : ", \"error_subcode\": " + subcode) + extra
                + ", \"fbtrace_id\": \"EJplcsCHuLu\"}}");
    }

    static Response ok(String body) {
        return new CannedResponse(200, body);
    }

    @Test
    void theTokenGoesInTheHeaderWithAProofPerCall() {
        var answer = calls("app-secret").call("creating the audience", script(List.of(ok("{\"id\": \"23848672402580582\"}"))));
        assertEquals("23848672402580582", answer.body().getString("id"));
        MetaCalls.Auth auth = sent.get(0);
        assertEquals("Bearer EAAB-token", auth.authorization());
        assertEquals(time.instant().getEpochSecond(), auth.appSecretTime());
        // HMAC-SHA256(key = app secret, message = token|time), lower-case hex (checked with openssl)
        assertEquals(MetaCalls.proof("app-secret", "EAAB-token", auth.appSecretTime()), auth.appSecretProof());
        assertNull(calls(null).call("x", script(List.of(ok("{}")))).body().get("id"));
        assertNull(sent.get(1).appSecretProof(), "no app secret: no proof");
        assertEquals(List.of("success", "success"), outcomes);
    }

    /** The proof of a known token, time and secret, as {@code printf 'token|1796037791' | openssl dgst -sha256 -hmac secret} gives it. */
    @Test
    void aKnownProof() {
        assertEquals("d45f4656410d41efb2e054671430473da1fb73e0b56828969d876d5fb39009f0",
                MetaCalls.proof("secret", "token", 1796037791L));
    }

    @Test
    void aThrottleWaitsTheTimeTheUsageHeaderGives() {
        Response throttled = new CannedResponse(400, "{\"error\": {\"message\": \"There have been too many calls to this "
                + "ad-account.\", \"type\": \"OAuthException\", \"code\": 80003, \"error_subcode\": 2446079, "
                + "\"is_transient\": true}}", Map.of("x-business-use-case-usage", "{\"1234567890\": [{\"type\": "
                + "\"custom_audience\", \"call_count\": 100, \"total_cputime\": 12, \"total_time\": 30, "
                + "\"estimated_time_to_regain_access\": 3}]}"));
        var answer = calls(null).call("adding people", script(List.of(throttled, ok("{\"num_received\": 2}"))));
        assertEquals(2, answer.body().getInt("num_received"));
        assertEquals(List.of(Duration.ofMinutes(3).toMillis()), waits, "three minutes, as the header says, no jitter");
        assertEquals(List.of("retried", "success"), outcomes);
    }

    @Test
    void aQuotaNearlyUsedUpPausesTheNextCall() {
        MetaCalls calls = calls(null);
        Response busy = new CannedResponse(200, "{\"id\": \"1\"}", Map.of("x-ad-account-usage", "{\"acc_id_util_pct\": 97.5}"));
        calls.call("creating the audience", script(List.of(busy)));
        assertEquals(List.of(), waits, "the answer itself is taken");
        calls.call("adding people", script(List.of(ok("{}"))));
        assertEquals(List.of(60_000L), waits, "the next call waits a minute");
        calls.call("adding people", script(List.of(ok("{}"))));
        assertEquals(List.of(60_000L), waits, "once");
    }

    @ParameterizedTest(name = "code {0}/{1} -> {2}")
    @CsvSource({
            "1, 99, TRANSIENT", "2, 0, TRANSIENT", "4, 0, TRANSIENT", "17, 2446079, TRANSIENT", "32, 0, TRANSIENT",
            "341, 0, TRANSIENT", "613, 1487742, TRANSIENT", "80003, 2446079, TRANSIENT", "80004, 0, TRANSIENT",
            "2650, 1870145, TRANSIENT", "2650, 1870148, TRANSIENT",
            "190, 463, TOKEN", "190, 460, TOKEN",
            "200, 1870090, TERMS", "200, 1870034, TERMS", "200, 1870092, TERMS", "2663, 0, TERMS",
            "10, 0, PERMISSION", "200, 0, PERMISSION", "294, 0, PERMISSION",
            "100, 33, AUDIENCE_GONE", "200, 1487366, AUDIENCE_GONE", "100, 1487301, AUDIENCE_GONE",
            "100, 0, INVALID", "100, 1713230, INVALID", "2650, 0, INVALID", "105, 0, INVALID", "2635, 0, INVALID",
            "200, 1870047, INVALID"})
    void everyCodeOfTheTable(int code, int subcode, MetaException.Kind kind) {
        MetaException e = MetaCalls.failure(400, json(error(400, code, subcode, "")), "adding people", null, "1234567890");
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(code, e.code());
        assertEquals(subcode, e.subcode());
    }

    @Test
    void isTransientAndHtmlAndServerErrorsAreRetriedOthersAreNot() {
        assertTrue(MetaCalls.failure(400, json(error(400, 100, 0, ", \"is_transient\": true")), "x", null, null).retryable());
        assertTrue(MetaCalls.failure(502, null, "x", null, null).retryable(), "an HTML page from a proxy");
        assertTrue(MetaCalls.failure(503, jakarta.json.JsonValue.EMPTY_JSON_OBJECT, "x", null, null).retryable());
        assertEquals(MetaException.Kind.INVALID, MetaCalls.failure(404, jakarta.json.JsonValue.EMPTY_JSON_OBJECT, "x", null, null)
                .kind());
        // a network failure, then an answer
        Iterator<Response> answers = List.<Response>of(ok("{\"id\": \"9\"}")).iterator();
        int[] calls = {0};
        var answer = calls(null).call("creating the audience", auth -> {
            if (calls[0]++ == 0) {
                throw new ProcessingException("connection refused");
            }
            return answers.next();
        });
        assertEquals("9", answer.body().getString("id"));
        assertEquals(1, waits.size());
        assertTrue(waits.get(0) >= FIRST.toMillis() && waits.get(0) <= FIRST.toMillis() * 5 / 4, "backoff with jitter: " + waits);
    }

    @Test
    void finalErrorsSayWhatTheUserMustDo() {
        MetaException terms = assertThrows(MetaException.class, () -> calls(null).call("creating the audience",
                script(List.of(error(400, 200, 1870090, ", \"error_user_title\": \"Custom Audience Terms Not Accepted\", "
                        + "\"error_user_msg\": \"You need to accept the Custom Audience terms.\"")))));
        assertTrue(terms.getMessage().contains("Custom Audience Terms Not Accepted: You need to accept the Custom Audience terms."),
                terms.getMessage());
        assertTrue(terms.getMessage().contains("https://business.facebook.com/ads/manage/customaudiences/tos/?act=1234567890"),
                terms.getMessage());
        MetaException token = assertThrows(MetaException.class, () -> calls(null).call("adding people",
                script(List.of(error(401, 190, 463, "")))));
        assertTrue(token.getMessage().contains("enters a new system user token"), token.getMessage());
        assertTrue(!token.getMessage().contains("EAAB-token"), "never the token");
        assertEquals(List.of(), waits, "final errors are not retried");
        assertEquals(List.of("failed", "failed"), outcomes);
        MetaException none = assertThrows(MetaException.class, () -> new MetaCalls(() -> null, null, "1", LONGEST, FIRST,
                outcomes::add, waits::add, time).call("adding people", script(List.of())));
        assertEquals(MetaException.Kind.TOKEN, none.kind());
    }

    /**
     * An admin stores a new token while a call carrying the old one is on its way: Meta's
     * refusal names the old token (its fingerprint), so it is not taken for the new token's.
     */
    @Test
    void aRefusalNamesTheTokenItsCallCarried() {
        String[] stored = {"EAAB-old"};
        MetaCalls calls = new MetaCalls(() -> stored[0], null, "1", LONGEST, FIRST, outcomes::add, waits::add, time);
        MetaException refused = assertThrows(MetaException.class, () -> calls.call("adding people", auth -> {
            stored[0] = "EAAB-new"; // the new token is stored while Meta answers the old one's call
            return error(401, 190, 463, "");
        }));
        assertEquals(MetaCalls.fingerprint("EAAB-old"), refused.tokenFingerprint());
        assertTrue(!refused.toString().contains("EAAB-old") && !refused.tokenFingerprint().contains("EAAB"), "never the token");
        assertFalse(refused.carried("EAAB-new"),
                "the new token was not refused");
        assertTrue(refused.carried("EAAB-old"));
        assertFalse(refused.carried(null), "no token is in use since");
        // the next call carries the new token; its refusal is the new token's
        MetaException again = assertThrows(MetaException.class, () -> calls.call("adding people",
                script(List.of(error(401, 190, 463, "")))));
        assertTrue(again.carried("EAAB-new"));
        // no token at all: the refusal carries none, and holds while none is stored
        MetaException none = assertThrows(MetaException.class, () -> new MetaCalls(() -> null, null, "1", LONGEST, FIRST,
                outcomes::add, waits::add, time).call("adding people", script(List.of())));
        assertNull(none.tokenFingerprint());
        assertTrue(none.carried(null));
        assertFalse(none.carried("EAAB-new"));
    }

    @Test
    void aTransientErrorIsTriedSixTimesThenFails() {
        List<Response> answers = new ArrayList<>();
        for (int i = 0; i < MetaCalls.ATTEMPTS; i++) {
            answers.add(error(500, 2, 0, ""));
        }
        MetaException e = assertThrows(MetaException.class, () -> calls(null).call("adding people", script(answers)));
        assertEquals(2, e.code());
        assertEquals(MetaCalls.ATTEMPTS - 1, waits.size());
        for (int i = 0; i < waits.size(); i++) {
            long base = FIRST.toMillis() << i;
            assertTrue(waits.get(i) >= base && waits.get(i) <= base * 5 / 4, "exponential with jitter: " + waits);
        }
    }

    static jakarta.json.JsonObject json(Response r) {
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(r.readEntity(String.class)))) {
            return reader.readObject();
        }
    }
}
