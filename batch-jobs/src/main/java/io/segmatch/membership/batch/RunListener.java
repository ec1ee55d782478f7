package io.segmatch.membership.batch;

import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.membership.store.RunSteps;
import io.segmatch.shared.events.RunEnded;
import io.segmatch.shared.metrics.Series;
import io.segmatch.shared.metrics.ServerMeasurements;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Duration;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the run when the job ends: the segments it caught up become live, the run is
 * completed or failed with the first error; then observers learn that a run committed.
 */
@Named("runListener")
@Dependent
public class RunListener extends AbstractJobListener {

    private static final Logger LOG = Logger.getLogger(RunListener.class.getName());

    @Inject
    JobContext job;

    @Inject
    JtaTransactions transactions;

    @Inject
    Event<RunEnded> ended;

    @Inject
    ServerMeasurements metrics;

    static final Series RUNS = Series.of("segmatch_processing_runs",
            "Processing runs (incremental evaluation and rebuilds) by outcome, and how long they took", "status");
    static final Series ENTERED = Series.of("segmatch_memberships_entered",
            "People who entered a segment, over all processing runs");
    static final Series EXITED = Series.of("segmatch_memberships_exited",
            "People who left a segment, over all processing runs");

    /** The run as committed: its duration by outcome, and its enters and exits. */
    private void measure(long runId) {
        try {
            transactions.run(c -> ProcessingRuns.find(c, runId)).ifPresent(run -> {
                if (run.endedAt() != null) {
                    metrics.time(RUNS, Duration.between(run.startedAt(), run.endedAt()), run.status().apiName());
                }
                metrics.count(ENTERED, run.entered());
                metrics.count(EXITED, run.exited());
            });
        } catch (Exception e) {
            LOG.log(Level.WARNING, "could not measure processing run " + runId, e);
        }
    }

    @Override
    public void beforeJob() {
        RunTally.of(job);
    }

    @Override
    public void afterJob() throws Exception {
        RunTally tally = RunTally.of(job);
        String error = tally.error;
        if (error == null && job.getBatchStatus() == BatchStatus.FAILED) {
            error = "the job failed (exit status " + job.getExitStatus() + ")";
        }
        RunSteps.finish(transactions, tally.runId, tally.datasets, tally.rebuilt, error);
        LOG.log(error == null ? Level.INFO : Level.WARNING, String.format(Locale.ROOT,
                "processing run %d %s: %d datasets evaluated, %d segments rebuilt or retired in %.2f s; %d changed "
                        + "rows evaluated in bulk in %.2f s; changed rows in chunks read in %.2f s, evaluated in %.2f s, "
                        + "written in %.2f s%s", tally.runId,
                error == null ? "completed" : "failed", tally.datasets.size(), tally.rebuilt.size(),
                (tally.stepsNanos.get() - tally.bulkNanos.get()) / 1e9, tally.bulkRows.get(), tally.bulkNanos.get() / 1e9,
                tally.readNanos.get() / 1e9, tally.evaluateNanos.get() / 1e9,
                tally.writeNanos.get() / 1e9, error == null ? "" : " (" + error + ")"));
        measure(tally.runId);
        ended.fire(new RunEnded(tally.runId, error != null));
    }
}
