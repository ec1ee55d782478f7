package io.segmatch.membership.store;

import java.util.Locale;

/** A processing run's state: running until its batch job ends it, completed or failed (a run whose server died is failed too). */
public enum RunStatus {
    RUNNING, COMPLETED, FAILED;

    /** The name stored in the database and shown by the API. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus of(String stored) {
        return valueOf(stored.toUpperCase(Locale.ROOT));
    }
}
