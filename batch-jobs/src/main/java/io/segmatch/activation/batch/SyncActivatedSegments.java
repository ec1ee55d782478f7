package io.segmatch.activation.batch;

import io.segmatch.activation.google.AccessTokens;
import io.segmatch.activation.google.CustomerMatch;
import io.segmatch.activation.google.GoogleCalls;
import io.segmatch.activation.google.GoogleException;
import io.segmatch.activation.google.GoogleSettings;
import io.segmatch.activation.meta.MetaAudiences;
import io.segmatch.activation.meta.MetaException;
import io.segmatch.activation.meta.MetaSettings;
import io.segmatch.activation.store.ActivatedSegment;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.GoogleAdsConnection;
import io.segmatch.activation.store.IdentifierSettings;
import io.segmatch.activation.store.MetaConnection;
import io.segmatch.activation.store.SyncBatches;
import io.segmatch.activation.store.SyncPlans;
import io.segmatch.activation.store.SyncRuns;
import io.segmatch.activation.store.SyncStatus;
import io.segmatch.membership.batch.JtaTransactions;
import io.segmatch.shared.metrics.Series;
import io.segmatch.shared.metrics.ServerMeasurements;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Step "sync": every activated segment (and every deleted one a destination still holds members
 * of) is synced to each of its destinations in turn; one failing does not stop the others, and
 * one destination's trouble (not configured, a refused token, a pause Meta asked for) never
 * holds the other back. Job parameters: batchId (the
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

    /**
     * Renews the batch's heartbeat while the sync works on one long step (a full plan of
     * millions of members is one statement of minutes), so that it is not taken for lost.
     */
    @jakarta.annotation.Resource
    ManagedScheduledExecutorService scheduler;

    static final Series REQUESTS = Series.of("segmatch_google_requests",
            "Requests to Google's APIs (Google Ads, Data Manager) by outcome: success, retried, failed", "outcome");
    static final Series SYNCS = Series.of("segmatch_segment_syncs",
            "Segment syncs to Customer Match by outcome: completed, waiting (Google still processing), failed",
            "status");

    static final Series META_REQUESTS = Series.of("segmatch_meta_requests",
            "Requests to Meta's Graph API by outcome: success, retried, deferred (a wait Meta asked for, left to a later "
                    + "sync), failed", "outcome");
    static final Series META_SYNCS = Series.of("segmatch_meta_syncs",
            "Segment syncs to Meta Custom Audiences by outcome: completed, waiting (Meta asked to wait), failed", "status");

    @Override
    public String process() throws Exception {
        Properties parameters = BatchRuntime.getJobOperator().getParameters(job.getExecutionId());
        long batchId = Long.parseLong(parameters.getProperty("batchId"));
        String reason = parameters.getProperty("reason", "due");
        String error = null;
        long every = pulseEvery().toMillis();
        ScheduledFuture<?> beating = scheduler.scheduleWithFixedDelay(() -> pulse(batchId), every, every, TimeUnit.MILLISECONDS);
        try {
            List<ActivatedSegment> segments = transactions.run(ActivatedSegment::all);
            Map<Destination, SegmentSync> syncs = new EnumMap<>(Destination.class);
            Map<Destination, RuntimeException> unusable = new EnumMap<>(Destination.class);
            Instant metaPausedUntil = transactions.run(c -> MetaConnection.state(c).pausedUntil());
            int failed = 0;
            int synced = 0;
            for (ActivatedSegment segment : segments) {
                Destination destination = segment.destination();
                if (destination == Destination.META && metaPausedUntil != null && metaPausedUntil.isAfter(Instant.now())) {
                    Instant until = metaPausedUntil;
                    LOG.fine(() -> "Meta asked to wait until " + until + ": segment " + segment.id() + " waits");
                    continue;
                }
                SegmentSync sync = syncs.get(destination);
                if (sync == null && !unusable.containsKey(destination)) {
                    try {
                        sync = new SegmentSync(transactions, platform(destination, batchId), new IdentifierSettings(
                                GoogleSettings.fromConfig().canonicalGmail(), MetaSettings.fromConfig().externId()),
                                fullPlanEvery(), executor);
                        syncs.put(destination, sync);
                    } catch (RuntimeException e) {
                        // one destination set up wrongly does not hold the other back
                        unusable.put(destination, e);
                    }
                }
                SyncStatus status;
                if (sync == null) {
                    status = SyncStatus.FAILED;
                    RuntimeException e = unusable.get(destination);
                    String message = e instanceof GoogleException || e instanceof MetaException ? e.getMessage()
                            : "the sync could not start: " + e;
                    transactions.run(c -> {
                        long run = SyncRuns.start(c, batchId, segment.id(), destination, destination.apiName(), reason,
                                segment.userList());
                        SyncRuns.finish(c, run, segment.id(), SyncStatus.FAILED, null, null, message, Instant.now());
                        return null;
                    });
                } else {
                    SegmentSync.Result result = sync.sync(batchId, segment, reason);
                    status = result.status();
                    if (result.pause() != null) {
                        Instant until = Instant.now().plus(result.pause());
                        transactions.run(c -> {
                            MetaConnection.pause(c, until);
                            return null;
                        });
                        metaPausedUntil = until;
                    } else if (destination == Destination.META && status == SyncStatus.COMPLETED) {
                        transactions.run(c -> {
                            MetaConnection.healthy(c);
                            return null;
                        });
                    }
                }
                synced++;
                metrics.count(destination == Destination.META ? META_SYNCS : SYNCS, 1, status.apiName());
                if (status == SyncStatus.FAILED) {
                    failed++;
                }
                transactions.run(c -> {
                    SyncBatches.heartbeat(c, batchId);
                    return null;
                });
            }
            if (failed > 0) {
                error = failed + " of " + synced + " segment syncs failed (see their sync runs)";
            }
            return "synced " + synced;
        } catch (RuntimeException e) {
            error = e instanceof GoogleException ? e.getMessage() : "the sync failed: " + e;
            LOG.warning(error);
            return "failed";
        } finally {
            beating.cancel(false);
            String problem = error;
            transactions.run(c -> {
                SyncBatches.finishBatch(c, batchId, problem);
                return null;
            });
            LOG.info(() -> "sync batch " + batchId + " ended at " + Instant.now() + (problem == null ? "" : ": " + problem));
        }
    }

    /** The platform of a destination, with its calls' policy, metrics and recorded problems. */
    private Platform platform(Destination destination, long batchId) {
        if (destination == Destination.GOOGLE_ADS) {
            GoogleSettings settings = GoogleSettings.fromConfig();
            AccessTokens tokens = new AccessTokens(settings, () -> refreshToken(settings), () -> invalidGrant());
            GoogleCalls calls = new GoogleCalls(tokens, settings.maxRetryDelay(), Duration.ofMillis(500),
                    outcome -> {
                        metrics.count(REQUESTS, 1, outcome);
                        if (outcome.equals("retried")) {
                            // waiting for Google is a sign of life: the batch is not taken for lost
                            // while its calls are retried (and stops here if it was)
                            beat(batchId);
                        }
                    });
            // Data Manager's requests are not jobs: its "job" is Segmatch's own, of any size
            return new GooglePlatform(CustomerMatch.of(settings, calls), settings.api(),
                    settings.dataManager() ? SyncPlans.ANY_NUMBER : GoogleSettings.jobPeopleFromConfig());
        }
        MetaSettings settings = MetaSettings.fromConfig();
        MetaAudiences audiences = MetaAudiences.of(settings, () -> accessToken(settings), settings.waitInPlace(), outcome -> {
            metrics.count(META_REQUESTS, 1, outcome);
            if (outcome.equals("retried")) {
                beat(batchId);
            }
        });
        return new MetaPlatform(audiences, e -> metaProblem(e, settings), Clock.systemUTC());
    }

    private String accessToken(MetaSettings settings) {
        try {
            String stored = transactions.run(MetaConnection::accessToken);
            return stored != null ? stored : settings.accessToken();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the Meta connection: " + e.getMessage(), e);
        }
    }

    /**
     * Meta refused the token, a permission or the terms: the console's Meta page says so until
     * it is fixed — unless the refused call carried a token that an admin has replaced since
     * (the call had read it before): the new token is not the one refused.
     */
    private void metaProblem(MetaException e, MetaSettings settings) {
        try {
            transactions.run(c -> {
                String stored = MetaConnection.lockedAccessToken(c);
                // the token in use: the stored one, or the configured one when none is stored
                if (e.carried(stored != null ? stored : settings.accessToken())) {
                    MetaConnection.problem(c, e.kind() == MetaException.Kind.TOKEN, e.getMessage());
                } else {
                    LOG.info("Meta refused a token replaced since; not recorded: " + e.getMessage());
                }
                return null;
            });
        } catch (Exception x) {
            LOG.warning("could not record Meta's refusal: " + x.getMessage());
        }
    }

    /**
     * How often the batch's heartbeat is renewed alongside its work: a third of
     * {@code segmatch.activation.lost-after} (after which a batch without one is taken for lost), at most 30 s.
     */
    static Duration pulseEvery() {
        long third = duration("segmatch.activation.lost-after", Duration.ofMinutes(3)).toMillis() / 3;
        return Duration.ofMillis(Math.max(100, Math.min(30_000, third)));
    }

    /** One heartbeat from the pulse; a batch taken for lost is left to the sync's own next heartbeat, which stops it. */
    private void pulse(long batchId) {
        try {
            beat(batchId);
        } catch (IllegalStateException e) {
            LOG.log(Level.FINE, "sync batch " + batchId + ": heartbeat not renewed: " + e.getMessage(), e);
        }
    }

    /** {@code segmatch.activation.full-plan-every}: how often a segment's plan looks at every member anyway. */
    static Duration fullPlanEvery() {
        return duration("segmatch.activation.full-plan-every", Duration.ofDays(1));
    }

    /** A duration setting (ISO-8601, e.g. {@code PT3M}), or {@code otherwise} when it is not set. */
    private static Duration duration(String name, Duration otherwise) {
        return ConfigProvider.getConfig().getOptionalValue(name, String.class)
                .map(String::trim).filter(v -> !v.isEmpty()).map(Duration::parse).orElse(otherwise);
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
                SyncBatches.heartbeat(c, batchId);
                return null;
            });
        } catch (Exception e) {
            throw new IllegalStateException("sync " + batchId + " stops: " + e.getMessage(), e);
        }
    }
}
