package io.segmatch.membership.batch;

import io.segmatch.membership.store.RunSteps;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Step "rebuild": every segment whose definition changed (or whose relative dates are an
 * hour old) is re-evaluated over its whole dataset and its members moved by set difference,
 * one segment per transaction.
 */
@Named("rebuildSegments")
@Dependent
public class RebuildSegments extends AbstractBatchlet {

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

    private String work(RunTally tally) throws Exception {
        tally.rebuilt.addAll(RunSteps.rebuild(transactions, tally.runId));
        return "rebuilt " + tally.rebuilt.size();
    }
}
