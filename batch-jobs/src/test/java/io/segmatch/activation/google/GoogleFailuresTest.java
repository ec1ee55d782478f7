package io.segmatch.activation.google;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which of Google's answers are worth another try, and how long to wait: without a server. */
class GoogleFailuresTest {

    /** An error body in the shape of the Google Ads API (v2x REST). */
    static JsonObject error(int status, String codeKind, String code, String message, String retryDelay) {
        String details = retryDelay == null ? "" : ", \"details\": {\"quotaErrorDetails\": {\"retryDelay\": \"" + retryDelay + "\"}}";
        return Json.createReader(new StringReader("{\"error\": {\"code\": " + status + ", \"message\": \"Request contains an invalid argument.\", "
                + "\"details\": [{\"@type\": \"type.googleapis.com/google.ads.googleads.v23.errors.GoogleAdsFailure\", "
                + "\"errors\": [{\"errorCode\": {\"" + codeKind + "\": \"" + code + "\"}, \"message\": \"" + message + "\"" + details + "}]}]}}"))
                .readObject();
    }

    @Test
    void throttlingIsRetriedAfterTheDelayGoogleAsksFor() {
        GoogleException e = GoogleCalls.failure(429, error(429, "quotaError", "RESOURCE_TEMPORARILY_EXHAUSTED",
                "Too many requests.", "1.5s"), "adding operations");
        assertTrue(e.retryable());
        assertEquals(Duration.ofMillis(1500), e.retryDelay());
        assertEquals("RESOURCE_TEMPORARILY_EXHAUSTED", e.code());
        assertEquals("adding operations failed: Too many requests. (RESOURCE_TEMPORARILY_EXHAUSTED) [HTTP 429]", e.getMessage());
    }

    @Test
    void aConcurrentModificationIsRetriedThoughItIsA400() {
        GoogleException e = GoogleCalls.failure(400, error(400, "databaseError", "CONCURRENT_MODIFICATION",
                "Multiple requests were attempting to modify the same resource at once.", null), "adding operations");
        assertTrue(e.retryable());
        assertNull(e.retryDelay(), "the caller's backoff decides");
    }

    @Test
    void serverErrorsAreRetriedEvenWithoutABody() {
        GoogleException e = GoogleCalls.failure(503, JsonObject.EMPTY_JSON_OBJECT, "running the job");
        assertTrue(e.retryable());
        assertEquals("running the job failed: HTTP 503 [HTTP 503]", e.getMessage());
        assertTrue(GoogleCalls.failure(500, error(500, "internalError", "TRANSIENT_ERROR", "transient", null), "x").retryable());
    }

    @Test
    void refusalsAreFinalAndSayWhyInPlainWords() {
        GoogleException denied = GoogleCalls.failure(403, error(403, "authorizationError", "USER_PERMISSION_DENIED",
                "User doesn't have permission to access customer.", null), "running the job");
        assertFalse(denied.retryable());
        assertEquals("USER_PERMISSION_DENIED", denied.code());
        assertTrue(denied.getMessage().contains("User doesn't have permission"), denied.getMessage());
        assertFalse(GoogleCalls.failure(400, error(400, "requestError", "INVALID_ARGUMENT", "bad", null), "x").retryable());
        assertFalse(GoogleCalls.failure(401, JsonObject.EMPTY_JSON_OBJECT, "x").retryable(),
                "a 401 is retried once after a token refresh by the call loop, not as a transient failure");
    }

    @Test
    void durationsInProtoJsonForm() {
        assertEquals(Duration.ofSeconds(30), GoogleCalls.seconds("30s"));
        assertEquals(Duration.ofMillis(1500), GoogleCalls.seconds("1.5s"));
        assertEquals(Duration.ofSeconds(2), GoogleCalls.seconds("2"));
    }
}
