package io.segmatch.membership.batch;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.inject.Inject;

/** A batchlet step of a run: its work, in transactions of its own, timed for the run's log line. */
abstract class RunBatchlet extends AbstractBatchlet {

    @Inject
    JobContext job;

    @Inject
    JtaTransactions transactions;

    @Override
    public String process() throws Exception {
        RunTally tally = RunTally.of(job);
        long t0 = System.nanoTime();
        try {
            return work(tally);
        } finally {
            tally.stepsNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    /** The step's work; returns its exit status. */
    abstract String work(RunTally tally) throws Exception;
}
