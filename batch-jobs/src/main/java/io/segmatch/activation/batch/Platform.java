package io.segmatch.activation.batch;

import io.segmatch.activation.store.ActivatedSegment;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.SyncJobs;
import io.segmatch.activation.store.SyncPlans;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One destination's platform as the sync engine ({@link SegmentSync}) uses it: make the list
 * or audience, make a job, send its people a batch at a time, run it and read its status, and
 * report the list. Google Customer Match and Meta Custom Audiences each implement it; the
 * engine plans, records and resumes the same way for both.
 */
public interface Platform {

    Destination destination();

    /** The transport recorded on runs ({@code google-ads}, {@code data-manager}, {@code graph-api}). */
    String transport();

    /** At most this many people per call. */
    int batch();

    /** At most this many people per job: a plan of more makes several, sent and settled in turn. */
    default int perJob() {
        return SyncPlans.ANY_NUMBER;
    }

    /** Creates the segment's list or audience; returns its id (resource name for Google). */
    String createList(ActivatedSegment segment);

    /** Makes a planned job known to the platform; returns its resource name. */
    String createJob(SyncJobs.Job job, ActivatedSegment segment);

    /**
     * What a batch did: the platform's request id (or null), the people it refused (key →
     * code), how many it could not use without saying who, samples of those (JSON object or
     * null), and the job's resource name when sending changed it (a new upload session), or null.
     */
    record Sent(String requestId, Map<String, String> rejected, long invalid, String samples, String resourceName) {
    }

    /**
     * Sends a batch of the job's people (≤ {@link #batch()}), in position order after those
     * sent before; {@code last}: no people follow it.
     */
    Sent send(SyncJobs.Job job, List<SyncJobs.Item> items, boolean last, ActivatedSegment segment);

    /** Starts the job's processing once all its people are sent (nothing to do for synchronous platforms). */
    void run(SyncJobs.Job job);

    /** {@code SUCCESS}, {@code FAILED}, or anything else while the platform still processes the job. */
    record Status(String status, String matchRateRange) {
    }

    Status status(SyncJobs.Job job);

    /** What the platform reports of the list: its size and match rate (nulls when unknown). */
    record Report(Long size, Integer matchRate) {
    }

    Report report(String list);

    /** The failure in the words the user reads, when it is the platform's (null: not the platform's). */
    String message(RuntimeException e);

    /** Whether the failure says a job's creation was made already by a call whose answer was lost. */
    default boolean lostCreation(RuntimeException e) {
        return false;
    }

    /** How long the platform asked to be left alone (its usage limits), or null: the sync waits, not fails. */
    default Duration pause(RuntimeException e) {
        return null;
    }
}
