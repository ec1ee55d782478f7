package io.segmatch.activation.google;

import java.time.Duration;

/**
 * A call to Google that failed: {@code retryable} ones (429, {@code CONCURRENT_MODIFICATION},
 * 5xx, network) are retried; the others are final for the sync run and shown to the user
 * in plain words ({@link #getMessage()}; never a token).
 */
public class GoogleException extends RuntimeException {

    private final int status;
    private final String code;
    private final boolean retryable;
    private final Duration retryDelay;

    public GoogleException(int status, String code, String message, boolean retryable, Duration retryDelay) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryable = retryable;
        this.retryDelay = retryDelay;
    }

    public int status() {
        return status;
    }

    /** Google's error code ({@code USER_PERMISSION_DENIED}, {@code invalid_grant}, …), or null. */
    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The delay Google asked for (429 {@code retryDelay}), or null. */
    public Duration retryDelay() {
        return retryDelay;
    }
}
