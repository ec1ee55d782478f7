package io.segmatch.shared.control;

import jakarta.batch.runtime.BatchRuntime;

import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Starting a batch job for work claimed in the database first (a processing run, a sync): the
 * claim makes sure that one instance starts it, the job does it. Called outside any container
 * transaction (a batch job must not start inside one). When the job cannot be started, the
 * claim is given back so that the work is not left "running" with nothing running it.
 */
public final class ClaimedJobs {

    private ClaimedJobs() {
    }

    /** Starts {@code job}; on failure, {@code release} records why and the failure is thrown on. */
    public static long start(String job, Map<String, String> parameters, Consumer<String> release) {
        Properties properties = new Properties();
        properties.putAll(parameters);
        try {
            return BatchRuntime.getJobOperator().start(job, properties);
        } catch (RuntimeException e) {
            release.accept("the batch job could not be started: " + e.getMessage());
            throw e;
        }
    }
}
