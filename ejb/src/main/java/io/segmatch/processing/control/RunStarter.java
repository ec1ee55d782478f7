package io.segmatch.processing.control;

import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.membership.store.ProcessingRuns.Claim;
import io.segmatch.membership.store.Transactions;
import io.segmatch.shared.control.DataSourceConfig;
import io.segmatch.shared.control.Jdbc;
import jakarta.annotation.Resource;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

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

    @Inject
    @ConfigProperty(name = "segmatch.processing.interval", defaultValue = "PT1M")
    String interval;

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
        ProcessingRuns.Due due = local(ProcessingRuns::due);
        if (!due.due(Instant.now(), Duration.parse(interval))) {
            if (due.running()) {
                // a run whose server died is noticed here, so that the next one can start
                local(c -> ProcessingRuns.claimIfLost(c, Duration.parse(lostAfter)));
            }
            return Optional.empty();
        }
        String reason = due.requested() ? "changes asked for a run" : due.staleSegments() ? "segments changed"
                : "pending changes";
        Claim claim = start(reason);
        return claim.started() ? Optional.of(claim.run()) : Optional.empty();
    }

    /** Starts a run now, or answers with the one already running. */
    public Claim start(String reason) {
        Claim claim = local(c -> ProcessingRuns.claim(c, reason, Duration.parse(lostAfter)));
        if (!claim.started()) {
            return claim;
        }
        long runId = claim.run().id();
        try {
            Properties parameters = new Properties();
            parameters.setProperty("runId", Long.toString(runId));
            parameters.setProperty("chunkSize", Integer.toString(chunkSize));
            parameters.setProperty("bulkMinimum", Long.toString(bulkMinimum));
            long execution = BatchRuntime.getJobOperator().start(JOB, parameters);
            local(c -> {
                ProcessingRuns.executionStarted(c, runId, execution);
                return null;
            });
            LOG.log(Level.INFO, "processing run {0} started ({1}), job execution {2}",
                    new Object[]{runId, reason, execution});
            return new Claim(local(c -> ProcessingRuns.find(c, runId)).orElse(claim.run()), true);
        } catch (RuntimeException e) {
            local(c -> {
                ProcessingRuns.finish(c, runId, "the batch job could not be started: " + e.getMessage());
                return null;
            });
            throw e;
        }
    }

    private <T> T local(Transactions.Work<T> work) {
        return Jdbc.inLocalTransaction(dataSource, work);
    }
}
