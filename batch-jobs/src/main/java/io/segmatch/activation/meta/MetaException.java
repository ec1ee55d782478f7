package io.segmatch.activation.meta;

import java.time.Duration;
import java.util.Objects;

/**
 * A call to Meta that failed, classified by Meta's {@code error.code} and
 * {@code error_subcode} (never by the HTTP status alone): {@code retryable} ones are tried
 * again after {@link #retryDelay()} (or a backoff); the others are final for the sync run and
 * shown to the user with what to do ({@link #getMessage()}; never a token).
 */
public class MetaException extends RuntimeException {

    /** What a failure means for the sync: try again, or stop and tell the user. */
    public enum Kind {
        /** Meta is busy, throttled or briefly unavailable: try again. */
        TRANSIENT,
        /** The access token is invalid or expired (code 190): a new token is needed. */
        TOKEN,
        /** The token lacks a permission (codes 10, 200–299): the system user needs it. */
        PERMISSION,
        /** The Custom Audience terms are not accepted: someone must accept them. */
        TERMS,
        /** The audience is gone or not shared with the ad account: it must be created again. */
        AUDIENCE_GONE,
        /** Meta refused the request as sent (invalid parameter, too many rows…): final. */
        INVALID
    }

    private final int status;
    private final int code;
    private final int subcode;
    private final Kind kind;
    private final Duration retryDelay;
    private String tokenFingerprint;

    public MetaException(int status, int code, int subcode, Kind kind, String message, Duration retryDelay) {
        super(message);
        this.status = status;
        this.code = code;
        this.subcode = subcode;
        this.kind = kind;
        this.retryDelay = retryDelay;
    }

    /** The HTTP status (0: no answer). */
    public int status() {
        return status;
    }

    /** Meta's {@code error.code} (0 when the answer held none). */
    public int code() {
        return code;
    }

    /** Meta's {@code error_subcode} (0 when none). */
    public int subcode() {
        return subcode;
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind == Kind.TRANSIENT;
    }

    /**
     * The fingerprint ({@link MetaCalls#fingerprint}) of the access token the refused call
     * carried, or null when it carried none: a refusal of a token that has been replaced
     * since is not the new token's problem.
     */
    public String tokenFingerprint() {
        return tokenFingerprint;
    }

    /** Whether the failed call carried {@code token} (null: it carried none). */
    public boolean carried(String token) {
        return Objects.equals(MetaCalls.fingerprint(token), tokenFingerprint);
    }

    /** Records the token the failed call carried (its fingerprint, never the token). */
    MetaException sentWith(String fingerprint) {
        this.tokenFingerprint = fingerprint;
        return this;
    }

    /** The wait Meta asked for (the usage header's time to regain access), or null for a backoff. */
    public Duration retryDelay() {
        return retryDelay;
    }
}
