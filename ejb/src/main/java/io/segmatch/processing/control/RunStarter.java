package io.segmatch.processing.control;

import io.segmatch.membership.store.ProcessingRuns.Claim;
import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.shared.control.ClaimedJobs;
import io.segmatch.shared.control.ServerInstance;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import io.segmatch.shared.store.Transactions;
import jakarta.annotation.Resource;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Starts processing runs. A run is claimed in the database first (at most one runs at a time,
 * whatever the number of application instances), then its batch job is started. Both happen
 * outside any container transaction (a batch job must not start inside one), the
 * claim in a local transaction of its own.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RunStarter {

    public static final String JOB = "evaluate-changes";
    private static final Logger LOG = Logger.getLogger(RunStarter.class.getName());

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @EJB
    ServerInstance instance;

    @Inject
    @ConfigProperty(name = "segmatch.processing.interval", defaultValue = "PT1M")
    String interval;

    @Inject
    @ConfigProperty(name = "segmatch.processing.settle", defaultValue = "PT2S")
    String settle;

    @Inject
    @ConfigProperty(name = "segmatch.processing.lost-after", defaultValue = "PT3M")
    String lostAfter;

    @Inject
    @ConfigProperty(name = "segmatch.processing.chunk-size", defaultValue = "1000")
    int chunkSize;

    @Inject
    @ConfigProperty(name = "segmatch.processing.bulk-minimum", defaultValue = "10000")
    long bulkMinimum;

    /** Starts a run if one is due (see {@link ProcessingRuns.Due}); returns it if it did. */
    public Optional<ProcessingRuns.Run> startIfDue() {
        ProcessingRuns.Due due = local(c -> ProcessingRuns.due(c, Instant.now(), Duration.parse(settle)));
        if (due.running() && (local(c -> ProcessingRuns.claimIfLost(c, Duration.parse(lostAfter))) || ownRunEnded())) {
            // a run whose server died (or whose job ended without it) is noticed here, within a
            // tick; it asked for its work again, so the next run starts now
            due = local(c -> ProcessingRuns.due(c, Instant.now(), Duration.parse(settle)));
        }
        if (!due.due(Instant.now(), Duration.parse(interval))) {
            return Optional.empty();
        }
        String reason = due.requested() ? "changes asked for a run" : due.staleSegments() ? "segments changed"
                : "pending changes";
        // a run the timer starts leaves segments saved moments ago to the next one, which builds them together
        Claim claim = start(reason, settle);
        return claim.started() ? Optional.of(claim.run()) : Optional.empty();
    }

    /** Starts a run now, or answers with the one already running; it rebuilds every segment waiting. */
    public Claim start(String reason) {
        return start(reason, "PT0S");
    }

    private Claim start(String reason, String settleFor) {
        Integer owner = instance.owner();
        Claim claim = local(c -> ProcessingRuns.claim(c, reason, Duration.parse(lostAfter), owner));
        if (!claim.started()) {
            return claim;
        }
        long runId = claim.run().id();
        long execution = ClaimedJobs.start(JOB, Map.of("runId", Long.toString(runId),
                        "chunkSize", Integer.toString(chunkSize), "bulkMinimum", Long.toString(bulkMinimum),
                        "settle", settleFor),
                why -> local(c -> {
                    ProcessingRuns.finish(c, runId, why);
                    return null;
                }));
        local(c -> {
            ProcessingRuns.executionStarted(c, runId, execution);
            return null;
        });
        LOG.log(Level.INFO, "processing run {0} started ({1}), job execution {2}", new Object[]{runId, reason, execution});
        return new Claim(local(c -> ProcessingRuns.find(c, runId)).orElse(claim.run()), true);
    }

    /**
     * Whether this server's running run had its batch job end (for 10 s, so that the job's own
     * listener had its chance) without ending the run; if so, the run is recorded as lost.
     */
    private boolean ownRunEnded() {
        Integer owner = instance.id();
        if (owner == null) {
            return false;
        }
        Optional<long[]> own = local(c -> ProcessingRuns.runningExecution(c, owner));
        if (own.isEmpty()) {
            return false;
        }
        JobExecution execution;
        try {
            execution = BatchRuntime.getJobOperator().getJobExecution(own.get()[1]);
        } catch (RuntimeException unknown) {
            return false;
        }
        BatchStatus status = execution.getBatchStatus();
        boolean ended = status == BatchStatus.COMPLETED || status == BatchStatus.FAILED || status == BatchStatus.STOPPED
                || status == BatchStatus.ABANDONED;
        if (!ended || execution.getEndTime() == null
                || execution.getEndTime().toInstant().isAfter(Instant.now().minusSeconds(10))) {
            return false;
        }
        boolean lost = local(c -> ProcessingRuns.endedWithoutFinishing(c, own.get()[0], status.name()));
        if (lost) {
            LOG.log(Level.WARNING, "processing run {0}: its batch job ended ({1}) without ending it; its work is asked for again",
                    new Object[]{own.get()[0], status});
        }
        return lost;
    }

    private <T> T local(Transactions.Work<T> work) {
        return Jdbc.inLocalTransaction(dataSource, work);
    }
}
