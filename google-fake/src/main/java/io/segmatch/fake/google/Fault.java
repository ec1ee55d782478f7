package io.segmatch.fake.google;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.time.Duration;

import static io.segmatch.fake.google.GoogleErrors.error;
import static io.segmatch.fake.google.GoogleErrors.failure;

/** A fault the fake answers with instead of the real response (once). */
public record Fault(int status, JsonObject body, Duration delay, String retryAfter) {

    /** 429 {@code quotaError: RESOURCE_TEMPORARILY_EXHAUSTED} with {@code retryDelay}. */
    public static Fault quota(String retryDelay) {
        return new Fault(429, failure(429, "RESOURCE_EXHAUSTED", "Too many requests.",
                error("quotaError", "RESOURCE_TEMPORARILY_EXHAUSTED", "Too many requests.")
                        .add("details", Json.createObjectBuilder().add("quotaErrorDetails", Json.createObjectBuilder()
                                .add("rateScope", "ACCOUNT").add("rateName", "Requests per account")
                                .add("retryDelay", retryDelay)))), null, null);
    }

    /** 400 {@code databaseError: CONCURRENT_MODIFICATION}, as Google sends it (retryable). */
    public static Fault concurrentModification() {
        return new Fault(400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                error("databaseError", "CONCURRENT_MODIFICATION",
                        "Multiple requests were attempting to modify the same resource at once. Retry the request.")),
                null, null);
    }

    /** 500 {@code internalError: TRANSIENT_ERROR}. */
    public static Fault internal() {
        return new Fault(500, failure(500, "INTERNAL", "Internal error encountered.",
                error("internalError", "TRANSIENT_ERROR", "The request failed due to a transient error.")), null, null);
    }

    /** No answer for this long (the client's timeout should fire first), then a 503. */
    public static Fault timeout(Duration delay) {
        return new Fault(503, failure(503, "UNAVAILABLE", "The service is currently unavailable.",
                error("internalError", "TRANSIENT_ERROR", "The service is currently unavailable.")), delay, null);
    }

    /**
     * The request is carried out, but its answer comes this late (the client's timeout
     * should fire first): Google did it, and the client does not know.
     */
    public static Fault lateAnswer(Duration delay) {
        return new Fault(0, null, delay, null);
    }

    /** 401 {@code authenticationError: OAUTH_TOKEN_EXPIRED}. */
    public static Fault tokenExpired() {
        return new Fault(401, failure(401, "UNAUTHENTICATED", "Request is missing required authentication credential.",
                error("authenticationError", "OAUTH_TOKEN_EXPIRED", "The access token has expired.")), null, null);
    }

    /** 403 {@code authorizationError: USER_PERMISSION_DENIED} (final). */
    public static Fault permissionDenied() {
        return new Fault(403, failure(403, "PERMISSION_DENIED", "The caller does not have permission",
                error("authorizationError", "USER_PERMISSION_DENIED",
                        "User doesn't have permission to access customer.")), null, null);
    }
}
