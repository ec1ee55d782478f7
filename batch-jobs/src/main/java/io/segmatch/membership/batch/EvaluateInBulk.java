package io.segmatch.membership.batch;

import io.segmatch.membership.store.RunSteps;
import jakarta.batch.api.BatchProperty;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.enterprise.context.Dependent;

/**
 * Step "bulk": the pending changes of each dataset that has many of them (job parameter
 * {@code bulkMinimum}, 10,000 by default) are evaluated all at once over its typed table,
 * one transaction per dataset; the chunk step that follows takes what is left.
 */
@Named("evaluateInBulk")
@Dependent
public class EvaluateInBulk extends RunBatchlet {

    @Inject
    @BatchProperty
    String bulkMinimum;

    @Override
    String work(RunTally tally) throws Exception {
        long minimum = bulkMinimum == null || bulkMinimum.isBlank() ? 10_000 : Long.parseLong(bulkMinimum.trim());
        long t0 = System.nanoTime();
        long applied = RunSteps.bulk(transactions, tally.runId, minimum, tally.datasets, tally.activated);
        tally.bulkNanos.addAndGet(System.nanoTime() - t0);
        tally.bulkRows.addAndGet(applied);
        return "applied " + applied;
    }
}
