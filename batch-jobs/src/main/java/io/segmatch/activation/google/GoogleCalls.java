package io.segmatch.activation.google;

import io.segmatch.shared.error.RootCause;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import java.io.StringReader;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * Calls Google with docs/activation.md's retry policy: 429 waits Google's {@code retryDelay};
 * {@code CONCURRENT_MODIFICATION} (sent as 400), 5xx and network errors back off
 * exponentially with jitter; 401 gets a fresh access token once; any other 4xx is final.
 */
public final class GoogleCalls {

    private static final Logger LOG = Logger.getLogger(GoogleCalls.class.getName());
    static final int ATTEMPTS = 6;

    private final Tokens tokens;
    private final Duration maxDelay;
    private final Duration firstBackoff;
    private final Consumer<String> outcomes;
    private final Sleeper sleeper;

    /** Where the bearer tokens come from ({@link AccessTokens}). */
    public interface Tokens {
        String accessToken();

        /** Forgets the current token (Google answered 401): the next one is fresh. */
        void invalidate();
    }

    /** How a retry waits ({@code Thread::sleep}; a test records the waits instead). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /**
     * @param outcomes told of every request's outcome: {@code success}, {@code retried} (a
     *                 failure that will be tried again) or {@code failed} (final)
     */
    public GoogleCalls(Tokens tokens, Duration maxDelay, Duration firstBackoff, Consumer<String> outcomes) {
        this(tokens, maxDelay, firstBackoff, outcomes, Thread::sleep);
    }

    GoogleCalls(Tokens tokens, Duration maxDelay, Duration firstBackoff, Consumer<String> outcomes, Sleeper sleeper) {
        this.tokens = tokens;
        this.maxDelay = maxDelay;
        this.firstBackoff = firstBackoff;
        this.outcomes = outcomes;
        this.sleeper = sleeper;
    }

    /** An answer: its JSON body and Google's request id. */
    public record Answer(JsonObject body, String requestId) {
    }

    /** Calls {@code call} with a bearer token until it succeeds, or fails finally. */
    public Answer call(String what, Function<String, Response> call) {
        boolean refreshed = false;
        for (int attempt = 1; ; attempt++) {
            GoogleException failure;
            try {
                Response response = call.apply("Bearer " + tokens.accessToken());
                try {
                    String text = response.hasEntity() ? response.readEntity(String.class) : "";
                    JsonObject body = text.isBlank() ? JsonValue.EMPTY_JSON_OBJECT : JSON.createReader(new StringReader(text)).readObject();
                    String requestId = response.getHeaderString("request-id");
                    if (response.getStatus() < 300) {
                        outcomes.accept("success");
                        return new Answer(body, requestId);
                    }
                    failure = failure(response.getStatus(), body, what);
                } finally {
                    response.close();
                }
            } catch (ProcessingException e) {
                failure = new GoogleException(0, "NETWORK", "Google could not be reached (" + what + "): "
                        + RootCause.message(e), true, null);
            }
            if (failure.status() == 401 && !refreshed) {
                outcomes.accept("retried");
                tokens.invalidate();
                refreshed = true;
                attempt--;
                continue;
            }
            if (!failure.retryable() || attempt >= ATTEMPTS) {
                outcomes.accept("failed");
                throw failure;
            }
            outcomes.accept("retried");
            Duration wait = failure.retryDelay() != null ? failure.retryDelay()
                    : firstBackoff.multipliedBy(1L << (attempt - 1));
            if (wait.compareTo(maxDelay) > 0) {
                wait = maxDelay;
            }
            long jitter = failure.retryDelay() != null ? 0 : ThreadLocalRandom.current().nextLong(wait.toMillis() / 4 + 1);
            LOG.info(failure.getMessage() + "; retry " + attempt + " in " + (wait.toMillis() + jitter) + " ms");
            sleep(wait.toMillis() + jitter);
        }
    }

    /** Reads Google's error body into an exception, deciding whether it is worth retrying. */
    static GoogleException failure(int status, JsonObject body, String what) {
        JsonObject error = body.getJsonObject("error");
        String message = error == null ? "HTTP " + status : error.getString("message", "HTTP " + status);
        String code = null;
        Duration retryDelay = null;
        if (error != null && error.get("details") instanceof JsonArray details) {
            for (JsonValue d : details) {
                if (d.asJsonObject().get("errors") instanceof JsonArray errors && !errors.isEmpty()) {
                    JsonObject first = errors.getJsonObject(0);
                    JsonObject errorCode = first.getJsonObject("errorCode");
                    if (errorCode != null && !errorCode.isEmpty()) {
                        code = errorCode.getString(errorCode.keySet().iterator().next(), null);
                    }
                    message = first.getString("message", message);
                    JsonObject quota = first.getJsonObject("details") == null ? null
                            : first.getJsonObject("details").getJsonObject("quotaErrorDetails");
                    if (quota != null && quota.containsKey("retryDelay")) {
                        retryDelay = seconds(quota.getString("retryDelay"));
                    }
                }
            }
        }
        boolean retryable = status == 429 || status >= 500 || "CONCURRENT_MODIFICATION".equals(code);
        String plain = what + " failed: " + message + (code == null ? "" : " (" + code + ")") + " [HTTP " + status + "]";
        return new GoogleException(status, code, plain, retryable, retryDelay);
    }

    /** "30s", "1.5s" (proto3 Duration JSON). */
    static Duration seconds(String v) {
        String s = v.endsWith("s") ? v.substring(0, v.length() - 1) : v;
        return Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
    }


    private void sleep(long millis) {
        try {
            sleeper.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GoogleException(0, "INTERRUPTED", "the sync was interrupted", false, null);
        }
    }
}
