package io.segmatch.activation.store;

import java.util.Locale;

/** A Google job of a sync: new (recorded, not created at Google yet), created, running (sent; Google processes it), then success, failed, or abandoned (its creation's answer was lost). */
public enum JobStatus {
    NEW, CREATED, RUNNING, SUCCESS, FAILED, ABANDONED;

    /** The name stored in the database and shown by the API. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus of(String stored) {
        return valueOf(stored.toUpperCase(Locale.ROOT));
    }
}
