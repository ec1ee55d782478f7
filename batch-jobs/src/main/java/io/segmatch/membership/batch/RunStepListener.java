package io.segmatch.membership.batch;

import jakarta.batch.api.listener.AbstractStepListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Records the first step failure of a run, for the run's end. */
@Named("runStepListener")
@Dependent
public class RunStepListener extends AbstractStepListener {

    @Inject
    JobContext job;

    @Inject
    StepContext step;

    @Override
    public void afterStep() {
        Exception e = step.getException();
        RunTally tally = RunTally.of(job);
        if (e != null && tally.error == null) {
            String message = e.getMessage();
            tally.error = "step " + step.getStepName() + " failed: " + (message == null ? e.getClass().getSimpleName() : message);
        }
    }
}
