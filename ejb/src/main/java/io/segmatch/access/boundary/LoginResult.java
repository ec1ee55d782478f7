package io.segmatch.access.boundary;

import java.time.Instant;

/** The outcome of a username and password check. */
public sealed interface LoginResult {

    record Accepted(Caller caller) implements LoginResult {
    }

    /** Wrong username or password (which of the two is not told). */
    record Refused() implements LoginResult {
    }

    /** Every slot for password checks stayed taken (a flood of logins): try again shortly. */
    record Busy() implements LoginResult {
    }

    /** Too many failures in a row: no password is checked until {@code until}. */
    record Locked(Instant until) implements LoginResult {
    }
}
