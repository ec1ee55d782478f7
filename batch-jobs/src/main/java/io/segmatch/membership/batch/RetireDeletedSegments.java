package io.segmatch.membership.batch;

import io.segmatch.membership.store.RunSteps;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;

/** Step "retire": the members of deleted segments exit, one segment per transaction. */
@Named("retireDeletedSegments")
@Dependent
public class RetireDeletedSegments extends RunBatchlet {

    @Override
    String work(RunTally tally) throws Exception {
        var retired = RunSteps.retire(transactions, tally.runId);
        tally.rebuilt.addAll(retired);
        return "retired " + retired.size();
    }
}
