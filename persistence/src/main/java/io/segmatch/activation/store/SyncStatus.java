package io.segmatch.activation.store;

import java.util.Locale;

/** A segment's sync (and a sync batch): running; waiting (Google still runs its job, the next sync looks again); completed (the list is in step); failed. */
public enum SyncStatus {
    RUNNING, WAITING, COMPLETED, FAILED;

    /** The name stored in the database and shown by the API. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SyncStatus of(String stored) {
        return valueOf(stored.toUpperCase(Locale.ROOT));
    }
}
