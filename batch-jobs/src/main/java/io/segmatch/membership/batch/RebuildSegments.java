package io.segmatch.membership.batch;

import io.segmatch.membership.store.RunSteps;
import io.segmatch.membership.store.WriteSizes;
import jakarta.batch.api.BatchProperty;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Duration;

/**
 * Step "rebuild": every segment whose definition changed (or whose relative dates are an
 * hour old) is re-evaluated over its whole dataset and its members moved by set difference,
 * one segment per transaction. Segments saved moments ago ({@code settle}, an ISO-8601
 * duration) are left to the next run, which builds them together.
 */
@Named("rebuildSegments")
@Dependent
public class RebuildSegments extends RunBatchlet {

    @Inject
    @BatchProperty
    String settle;

    @Override
    String work(RunTally tally) throws Exception {
        Duration wait = settle == null || settle.isBlank() ? Duration.ZERO : Duration.parse(settle.trim());
        tally.rebuilt.addAll(RunSteps.rebuild(transactions, tally.runId, WriteSizes.DEFAULT, wait));
        return "rebuilt " + tally.rebuilt.size();
    }
}
