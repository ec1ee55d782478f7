package io.segmatch.activation.control;

import io.segmatch.activation.store.SyncBatches;
import io.segmatch.shared.control.ClaimedJobs;
import io.segmatch.shared.control.ServerInstance;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import io.segmatch.shared.store.Transactions;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Starts Customer Match syncs: a batch is claimed in the database (one at a time, whatever
 * the number of instances), then the {@code sync-customer-match} job is started — outside
 * any container transaction (a batch job must not start inside one).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SyncStarter {

    public static final String JOB = "sync-customer-match";
    private static final Logger LOG = Logger.getLogger(SyncStarter.class.getName());

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @EJB
    ServerInstance instance;

    @Inject
    @ConfigProperty(name = "segmatch.activation.interval", defaultValue = "PT5M")
    String interval;

    @Inject
    @ConfigProperty(name = "segmatch.activation.poll-interval", defaultValue = "PT30S")
    String pollInterval;

    @Inject
    @ConfigProperty(name = "segmatch.activation.lost-after", defaultValue = "PT3M")
    String lostAfter;

    @Inject
    @ConfigProperty(name = "segmatch.activation.full-plan-every", defaultValue = "P1D")
    String fullPlanEvery;

    /** Starts a sync if one is due; returns its batch id if it did. */
    public Optional<Long> startIfDue() {
        // a sync whose server died is recorded as lost within a tick; its jobs are taken up by the next
        if (local(c -> SyncBatches.reclaimLost(c, Duration.parse(lostAfter)))) {
            LOG.warning("a Customer Match sync was lost (its server stopped): the next sync takes up its jobs");
        }
        if (!local(c -> SyncBatches.due(c, Duration.parse(interval), Duration.parse(pollInterval), Duration.parse(lostAfter),
                Duration.parse(fullPlanEvery)))) {
            return Optional.empty();
        }
        return start("due");
    }

    /** Starts a sync now unless one is running; returns its batch id if it started one. */
    public Optional<Long> start(String reason) {
        Integer owner = instance.owner();
        Long batchId = local(c -> SyncBatches.claimBatch(c, reason, Duration.parse(lostAfter), owner));
        if (batchId == null) {
            return Optional.empty();
        }
        long execution = ClaimedJobs.start(JOB, Map.of("batchId", Long.toString(batchId), "reason", reason),
                why -> local(c -> {
                    SyncBatches.finishBatch(c, batchId, why);
                    return null;
                }));
        LOG.log(Level.INFO, "Customer Match sync {0} started ({1}), job execution {2}", new Object[]{batchId, reason, execution});
        return Optional.of(batchId);
    }

    private <T> T local(Transactions.Work<T> work) {
        return Jdbc.inLocalTransaction(dataSource, work);
    }
}
