package io.segmatch.activation.google;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.segmatch.activation.google.GoogleFailuresTest.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retry policy in action, without a server or a clock: each call is answered from a
 * script, the waits are recorded instead of slept. 429 waits Google's {@code retryDelay};
 * {@code CONCURRENT_MODIFICATION}, 5xx and timeouts back off exponentially (with at most a
 * quarter of jitter) up to the longest wait; 401 gets one fresh token; anything else is final.
 */
class GoogleCallsTest {

    private static final Duration FIRST = Duration.ofMillis(500);
    private static final Duration LONGEST = Duration.ofSeconds(3);

    private final List<Long> waits = new ArrayList<>();
    private final List<String> outcomes = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final Tokens tokens = new Tokens();
    private final GoogleCalls calls = new GoogleCalls(tokens, LONGEST, FIRST, outcomes::add, waits::add);

    /** Tokens t1, t2, …: a new one after each invalidation. */
    static final class Tokens implements GoogleCalls.Tokens {
        int issued = 1;
        int invalidated;

        @Override
        public String accessToken() {
            return "t" + issued;
        }

        @Override
        public void invalidate() {
            invalidated++;
            issued++;
        }
    }

    /** Answers the calls in order from the script; each entry answers or throws. */
    private Function<String, Response> script(List<Supplier<Response>> answers) {
        Deque<Supplier<Response>> left = new ArrayDeque<>(answers);
        return authorization -> {
            authorizations.add(authorization);
            assertFalse(left.isEmpty(), "called more often than scripted");
            return left.pop().get();
        };
    }

    private static Supplier<Response> answer(int status, String body) {
        return () -> new CannedResponse(status, body);
    }

    private static Supplier<Response> timeout() {
        return () -> {
            throw new ProcessingException(new SocketTimeoutException("Read timed out"));
        };
    }

    private static String googleError(int status, String kind, String code, String retryDelay) {
        return error(status, kind, code, "scripted", retryDelay).toString();
    }

    @Test
    void throttlingWaitsExactlyTheDelayGoogleAsksForThenSucceeds() {
        var answer = calls.call("adding operations", script(List.of(
                answer(429, googleError(429, "quotaError", "RESOURCE_TEMPORARILY_EXHAUSTED", "2s")),
                answer(200, "{\"done\": true}"))));
        assertTrue(answer.body().getBoolean("done"));
        assertEquals("req-200", answer.requestId());
        assertEquals(List.of(2000L), waits, "Google's delay, without jitter");
        assertEquals(List.of("retried", "success"), outcomes);
    }

    @Test
    void concurrentModificationsAndServerErrorsBackOffExponentially() {
        calls.call("running the job", script(List.of(
                answer(400, googleError(400, "databaseError", "CONCURRENT_MODIFICATION", null)),
                answer(503, ""),
                answer(500, "{\"error\": {\"code\": 500, \"message\": \"Internal error encountered.\"}}"),
                answer(200, ""))));
        assertEquals(3, waits.size(), waits.toString());
        for (int i = 0; i < 3; i++) {
            long base = FIRST.toMillis() << i;
            assertTrue(waits.get(i) >= base && waits.get(i) <= base + base / 4, "wait " + i + ": " + waits);
        }
        assertEquals(List.of("retried", "retried", "retried", "success"), outcomes);
    }

    @Test
    void timeoutsAreRetriedUntilTheAttemptsRunOutWithWaitsCappedAtTheLongest() {
        List<Supplier<Response>> answers = new ArrayList<>();
        for (int i = 0; i < GoogleCalls.ATTEMPTS; i++) {
            answers.add(timeout());
        }
        GoogleException e = assertThrows(GoogleException.class, () -> calls.call("creating the list", script(answers)));
        assertEquals("NETWORK", e.code());
        assertTrue(e.getMessage().contains("Read timed out"), e.getMessage());
        assertEquals(GoogleCalls.ATTEMPTS - 1, waits.size(), "a wait between attempts, none after the last");
        assertTrue(waits.stream().allMatch(w -> w <= LONGEST.toMillis() + LONGEST.toMillis() / 4), waits.toString());
        assertTrue(waits.get(waits.size() - 1) >= LONGEST.toMillis(), "the later waits reach the cap: " + waits);
        assertEquals("failed", outcomes.get(outcomes.size() - 1));
        assertEquals(GoogleCalls.ATTEMPTS, authorizations.size());
    }

    @Test
    void anUnauthorizedAnswerGetsOneFreshTokenAtOnceThenIsFinal() {
        String unauthenticated = "{\"error\": {\"code\": 401, \"message\": \"Request had invalid authentication credentials.\"}}";
        var answer = calls.call("reading the job", script(List.of(answer(401, unauthenticated), answer(200, "{}"))));
        assertEquals(0, answer.body().size());
        assertEquals(List.of("Bearer t1", "Bearer t2"), authorizations, "the retry carries the fresh token");
        assertEquals(List.of(), waits, "no wait for a fresh token");

        authorizations.clear();
        GoogleException e = assertThrows(GoogleException.class, () -> calls.call("reading the job",
                script(List.of(answer(401, unauthenticated), answer(401, unauthenticated)))));
        assertEquals(401, e.status());
        assertEquals(2, tokens.invalidated, "one fresh token per call, not more");
        assertEquals(2, authorizations.size());
    }

    @Test
    void refusalsAreFinalAtTheFirstAnswer() {
        GoogleException e = assertThrows(GoogleException.class, () -> calls.call("adding operations", script(List.of(
                answer(403, googleError(403, "authorizationError", "USER_PERMISSION_DENIED", null))))));
        assertFalse(e.retryable());
        assertEquals("USER_PERMISSION_DENIED", e.code());
        assertEquals(List.of("failed"), outcomes);
        assertEquals(List.of(), waits);
    }
}
