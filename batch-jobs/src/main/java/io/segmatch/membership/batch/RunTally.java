package io.segmatch.membership.batch;

import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.context.JobContext;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one execution of a run has done so far, shared by its steps through the job
 * context: the datasets whose changes it evaluated, the segments it rebuilt, the activated
 * segments it met, and the first error.
 */
public final class RunTally {

    final long runId;
    final Set<String> datasets = ConcurrentHashMap.newKeySet();
    final Set<String> rebuilt = ConcurrentHashMap.newKeySet();
    final Set<String> activated = ConcurrentHashMap.newKeySet();
    volatile String error;
    /** Time spent per phase of the chunk step, for the run's log line. */
    final AtomicLong readNanos = new AtomicLong();
    final AtomicLong evaluateNanos = new AtomicLong();
    final AtomicLong writeNanos = new AtomicLong();
    final AtomicLong stepsNanos = new AtomicLong();
    /** The bulk step's share of {@code stepsNanos}, and the changes it applied. */
    final AtomicLong bulkNanos = new AtomicLong();
    final AtomicLong bulkRows = new AtomicLong();

    RunTally(long runId) {
        this.runId = runId;
    }

    /** The tally of the job, created on first use (also by a restarted execution). */
    static RunTally of(JobContext job) {
        if (job.getTransientUserData() instanceof RunTally tally) {
            return tally;
        }
        String runId = BatchRuntime.getJobOperator().getParameters(job.getExecutionId()).getProperty("runId");
        if (runId == null) {
            throw new IllegalStateException("the evaluate-changes job needs the jobParameter runId");
        }
        RunTally tally = new RunTally(Long.parseLong(runId));
        job.setTransientUserData(tally);
        return tally;
    }
}
