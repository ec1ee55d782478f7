package io.segmatch.membership.batch;

import io.segmatch.membership.store.RunSteps;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Step "retire": the members of deleted segments exit, one segment per transaction. */
@Named("retireDeletedSegments")
@Dependent
public class RetireDeletedSegments extends AbstractBatchlet {

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
        var retired = RunSteps.retire(transactions, tally.runId);
        tally.rebuilt.addAll(retired);
        return "retired " + retired.size();
    }
}
