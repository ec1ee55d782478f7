package io.segmatch.membership.batch;

import io.segmatch.membership.store.RunSteps;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;

/**
 * Step "rebuild": every segment whose definition changed (or whose relative dates are an
 * hour old) is re-evaluated over its whole dataset and its members moved by set difference,
 * one segment per transaction.
 */
@Named("rebuildSegments")
@Dependent
public class RebuildSegments extends RunBatchlet {

    @Override
    String work(RunTally tally) throws Exception {
        tally.rebuilt.addAll(RunSteps.rebuild(transactions, tally.runId));
        return "rebuilt " + tally.rebuilt.size();
    }
}
