package io.segmatch.activation.batch;

import io.segmatch.activation.google.AccessTokens;
import io.segmatch.activation.google.CustomerMatch;
import io.segmatch.activation.google.GoogleCalls;
import io.segmatch.activation.google.GoogleException;
import io.segmatch.activation.google.GoogleSettings;
import io.segmatch.activation.store.ActivatedSegment;
import io.segmatch.activation.store.GoogleAdsConnection;
import io.segmatch.activation.store.SyncStatus;
import io.segmatch.activation.store.SyncRuns;
import io.segmatch.membership.batch.JtaTransactions;
import io.segmatch.shared.metrics.Series;
import io.segmatch.shared.metrics.ServerMeasurements;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Step "sync": every activated segment (and every deleted one Google still holds members of)
 * is synced in turn; one failing does not stop the others. Job parameters: batchId (the
 * claimed sync_batch row) and reason.
 */
@Named("syncActivatedSegments")
@Dependent
public class SyncActivatedSegments extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger(SyncActivatedSegments.class.getName());

    @Inject
    JobContext job;

    @Inject
    JtaTransactions transactions;

    @Inject
    ServerMeasurements metrics;

    /** Hashes a plan's identifiers while the plan reads on. */
    @jakarta.annotation.Resource
    ManagedExecutorService executor;

    static final Series REQUESTS = Series.of("segmatch_google_requests",
            "Requests to Google's APIs (Google Ads, Data Manager) by outcome: success, retried, failed", "outcome");
    static final Series SYNCS = Series.of("segmatch_segment_syncs",
            "Segment syncs to Customer Match by outcome: completed, waiting (Google still processing), failed",
            "status");

    @Override
    public String process() throws Exception {
        Properties parameters = BatchRuntime.getJobOperator().getParameters(job.getExecutionId());
        long batchId = Long.parseLong(parameters.getProperty("batchId"));
        String reason = parameters.getProperty("reason", "due");
        String error = null;
        try {
            GoogleSettings settings = GoogleSettings.fromConfig();
            List<ActivatedSegment> segments = transactions.run(ActivatedSegment::all);
            if (!segments.isEmpty()) {
                AccessTokens tokens = new AccessTokens(settings,
                        () -> refreshToken(settings), () -> invalidGrant());
                GoogleCalls calls = new GoogleCalls(tokens, settings.maxRetryDelay(), Duration.ofMillis(500),
                        outcome -> {
                            metrics.count(REQUESTS, 1, outcome);
                            if (outcome.equals("retried")) {
                                // waiting for Google is a sign of life: the batch is not taken for lost
                                // while its calls are retried (and stops here if it was)
                                beat(batchId);
                            }
                        });
                CustomerMatch google = CustomerMatch.of(settings, calls);
                SegmentSync sync = new SegmentSync(transactions, google, settings.canonicalGmail(), settings.api(),
                        fullPlanEvery(), executor);
                int failed = 0;
                for (ActivatedSegment segment : segments) {
                    SyncStatus status = sync.sync(batchId, segment, reason);
                    metrics.count(SYNCS, 1, status.apiName());
                    if (status == SyncStatus.FAILED) {
                        failed++;
                    }
                    transactions.run(c -> {
                        SyncRuns.heartbeat(c, batchId);
                        return null;
                    });
                }
                if (failed > 0) {
                    error = failed + " of " + segments.size() + " segments failed to sync (see their sync runs)";
                }
            }
            return "synced " + segments.size();
        } catch (RuntimeException e) {
            error = e instanceof GoogleException ? e.getMessage() : "the sync failed: " + e;
            LOG.warning(error);
            return "failed";
        } finally {
            String problem = error;
            transactions.run(c -> {
                SyncRuns.finishBatch(c, batchId, problem);
                return null;
            });
            LOG.info(() -> "sync batch " + batchId + " ended at " + Instant.now() + (problem == null ? "" : ": " + problem));
        }
    }

    /** {@code segmatch.activation.full-plan-every}: how often a segment's plan looks at every member anyway. */
    static Duration fullPlanEvery() {
        return ConfigProvider.getConfig()
                .getOptionalValue("segmatch.activation.full-plan-every", String.class)
                .map(String::trim).filter(v -> !v.isEmpty()).map(Duration::parse).orElse(Duration.ofDays(1));
    }

    private String refreshToken(GoogleSettings settings) {
        try {
            String stored = transactions.run(GoogleAdsConnection::refreshToken);
            return stored != null ? stored : settings.refreshToken();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the Google Ads connection: " + e.getMessage(), e);
        }
    }

    private void invalidGrant() {
        try {
            transactions.run(c -> {
                GoogleAdsConnection.needsReconnect(c, "Google refused the saved authorization (invalid_grant): reconnect");
                return null;
            });
        } catch (Exception e) {
            LOG.warning("could not record that Google Ads needs a reconnect: " + e.getMessage());
        }
    }

    /** Renews the batch's heartbeat in a transaction of its own; fails when the batch was taken for lost. */
    private void beat(long batchId) {
        try {
            transactions.run(c -> {
                SyncRuns.heartbeat(c, batchId);
                return null;
            });
        } catch (Exception e) {
            throw new IllegalStateException("sync " + batchId + " stops: " + e.getMessage(), e);
        }
    }
}
