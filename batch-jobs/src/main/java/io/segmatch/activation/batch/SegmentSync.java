package io.segmatch.activation.batch;

import io.segmatch.activation.store.ActivatedSegment;
import io.segmatch.activation.store.IdentifierSettings;
import io.segmatch.activation.store.JobSettlement;
import io.segmatch.activation.store.JobStatus;
import io.segmatch.activation.store.SyncBatches;
import io.segmatch.activation.store.SyncStatus;
import io.segmatch.activation.store.SyncJobs;
import io.segmatch.activation.store.SyncPlans;
import io.segmatch.activation.store.SyncRuns;
import io.segmatch.shared.store.Transactions;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * One segment's sync to one destination: finish what an earlier sync left (poll a job the
 * platform is running, or resume sending a job created before a restart), make sure the list
 * or audience exists, plan the difference, and send it. Every step commits before the next
 * call to the platform, so a restart anywhere resumes without a second job or audience and
 * without losing anything; the acknowledged set moves only when the platform accepted. The
 * same engine serves every destination: what differs is the {@link Platform}.
 */
public final class SegmentSync {

    private static final Logger LOG = Logger.getLogger(SegmentSync.class.getName());

    private final Transactions tx;
    private final Platform platform;
    private final IdentifierSettings identifiers;
    private final Duration fullPlanEvery;
    private final Executor hasher;

    /**
     * @param fullPlanEvery a plan older than this since the last full one is full (a reconciliation)
     * @param hasher        where a plan hashes identifiers while it reads the next rows
     */
    public SegmentSync(Transactions tx, Platform platform, IdentifierSettings identifiers, Duration fullPlanEvery,
                       Executor hasher) {
        this.tx = tx;
        this.platform = platform;
        this.identifiers = identifiers;
        this.fullPlanEvery = fullPlanEvery;
        this.hasher = hasher;
    }

    /** What a sync ended with: its status, and the wait the platform asked for (null: none). */
    public record Result(SyncStatus status, Duration pause) {
    }

    /**
     * Syncs one segment to the platform's destination; returns the sync run's status (and a
     * pause the platform asked for). Failures are recorded on the run, not thrown.
     */
    public Result sync(long batchId, ActivatedSegment segment, String reason) throws Exception {
        if (segment.destination() != platform.destination()) {
            throw new IllegalArgumentException("a " + segment.destination().apiName() + " sync given to " + platform.transport());
        }
        long runId = tx.run(c -> SyncRuns.start(c, batchId, segment.id(), segment.destination(), platform.transport(), reason,
                segment.userList()));
        String userList = segment.userList();
        try {
            if (!finishOpen(batchId, runId, segment)) {
                finish(runId, segment, SyncStatus.WAITING, userList, null);
                return new Result(SyncStatus.WAITING, null);
            }
            if (userList == null) {
                if (segment.deleted()) {
                    finish(runId, segment, SyncStatus.COMPLETED, null, null);
                    return new Result(SyncStatus.COMPLETED, null);
                }
                String created = platform.createList(segment);
                tx.run(c -> {
                    ActivatedSegment.recordUserList(c, segment.id(), segment.destination(), created);
                    // the run names its list from now on, not once it is planned
                    SyncRuns.record(c, runId, created, null);
                    return null;
                });
                userList = created;
            }
            String list = userList;
            SyncPlans.Plan plan = null;
            while (plan == null) {
                // a full plan first waits for membership writes that read the activation settings before now
                SyncPlans.Basis basis = tx.run(c -> SyncPlans.basis(c, segment, list, identifiers, fullPlanEvery, Instant.now()));
                if (basis.full()) {
                    barrier(batchId);
                }
                plan = tx.run(c -> {
                    SyncPlans.Plan p = SyncPlans.plan(c, runId, segment, list, identifiers, fullPlanEvery, basis, Instant.now(),
                            hasher, platform.perJob());
                    if (p != null) {
                        SyncRuns.record(c, runId, list, p);
                    }
                    return p;
                });
            }
            SyncPlans.Plan planned = plan;
            LOG.info(() -> "sync of segment " + segment.id() + " to " + segment.destination().apiName() + " planned ("
                    + planned.scope() + ", " + planned.examined()
                    + " looked at) in " + planned.millis() + " ms: " + planned.adds() + " to add, " + planned.removes()
                    + " to remove, " + planned.skipped() + " skipped" + (planned.jobs() > 1 ? ", in " + planned.jobs() + " jobs" : "")
                    + " (" + planned.phases() + ")");
            SyncStatus status = SyncStatus.COMPLETED;
            if (plan.jobId() != null && !finishOpen(batchId, runId, segment)) {
                status = SyncStatus.WAITING;
            }
            finish(runId, segment, status, list, platform.report(list));
            return new Result(status, null);
        } catch (Exception e) {
            // the platform's refusals are worded for the user; anything else (a transaction that
            // timed out, a database gone) is named as what it is, and the run does not stay "running"
            String said = e instanceof RuntimeException r ? platform.message(r) : null;
            String message = said != null ? said : "the sync failed: " + e;
            Duration pause = e instanceof RuntimeException r ? platform.pause(r) : null;
            if (pause != null) {
                // the platform asked to be left alone for a while: the sync goes on after that, from where it is
                Instant until = Instant.now().plus(pause);
                String waiting = message + "; the sync goes on after " + until.truncatedTo(ChronoUnit.SECONDS);
                LOG.info(() -> "sync of segment " + segment.id() + " to " + segment.destination().apiName() + " waits: " + waiting);
                tx.run(c -> {
                    SyncRuns.finish(c, runId, segment.id(), SyncStatus.WAITING, null, null, waiting, Instant.now());
                    return null;
                });
                return new Result(SyncStatus.WAITING, pause);
            }
            LOG.warning(() -> "sync of segment " + segment.id() + " to " + segment.destination().apiName() + " failed: " + message);
            tx.run(c -> {
                SyncRuns.finish(c, runId, segment.id(), SyncStatus.FAILED, null, null, message, Instant.now());
                return null;
            });
            return new Result(SyncStatus.FAILED, null);
        }
    }

    /**
     * Sends and settles the segment's open jobs in turn (a plan's jobs, or what an earlier sync
     * left: a job the platform is running is looked at, one created before a restart is sent
     * from where it stopped and run). Returns false when the platform is still running one: it
     * and the jobs after it wait for the next sync.
     */
    private boolean finishOpen(long batchId, long runId, ActivatedSegment segment) throws Exception {
        while (true) {
            SyncJobs.Job job = tx.run(c -> SyncJobs.open(c, segment.id(), segment.destination())).orElse(null);
            if (job == null) {
                return true;
            }
            if (job.status() != JobStatus.RUNNING) {
                send(batchId, runId, segment, job);
                SyncJobs.Job sent = tx.run(c -> SyncJobs.open(c, segment.id(), segment.destination())).orElse(null);
                if (sent == null || sent.id() != job.id()) {
                    continue;
                }
                job = sent;
            }
            if (!settle(job)) {
                return false;
            }
        }
    }

    /** How long a full plan waits for membership writes that read the activation settings before it. */
    static final Duration BARRIER_WAIT = Duration.ofMinutes(10);

    /**
     * Waits, trying every 100 ms, until the open membership writes that may not have queued
     * their changes have ended (a rebuild of a big dataset holds its transaction for minutes).
     */
    private void barrier(long batchId) throws Exception {
        long deadline = System.nanoTime() + BARRIER_WAIT.toNanos();
        long heartbeat = System.nanoTime();
        while (!tx.run(SyncPlans::barrier)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("membership writes kept the activation lock for " + BARRIER_WAIT.toMinutes()
                        + " minutes; the full plan waits for the next sync");
            }
            if (System.nanoTime() - heartbeat > Duration.ofSeconds(30).toNanos()) {
                tx.run(c -> {
                    SyncBatches.heartbeat(c, batchId);
                    return null;
                });
                heartbeat = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    /** Makes the job known to the platform if needed, sends its unsent people batch by batch, and runs it. */
    private void send(long batchId, long runId, ActivatedSegment segment, SyncJobs.Job planned) throws Exception {
        SyncJobs.Job job = planned;
        if (job.status() == JobStatus.NEW) {
            String resource;
            try {
                resource = platform.createJob(job, segment);
            } catch (RuntimeException e) {
                if (platform.lostCreation(e)) {
                    // created by a call whose answer was lost: that job is never run; its people go back to
                    // the queue, for the first plan after the other jobs of its plan
                    SyncJobs.Job lost = job;
                    tx.run(c -> {
                        SyncJobs.unapplied(c, lost, JobStatus.ABANDONED, null, "its creation's answer was lost");
                        // the run that planned it (maybe an earlier one, waiting) does not wait for it any more
                        SyncRuns.settled(c, lost, null, "a job's creation lost its answer; its people are planned again");
                        return null;
                    });
                }
                throw e;
            }
            long id = job.id();
            tx.run(c -> {
                SyncJobs.status(c, id, JobStatus.CREATED, resource, null, null);
                return null;
            });
            job = tx.run(c -> SyncJobs.open(c, segment.id(), segment.destination())).orElseThrow();
        }
        SyncJobs.Job created = job;
        String resource = job.resourceName();
        int after = -1;
        long reading = 0;
        long calling = 0;
        long recording = 0;
        long people = 0;
        int batches = 0;
        // one more than a batch: whether people follow this batch
        long t00 = System.nanoTime();
        List<SyncJobs.Item> read = unsent(created.id(), after);
        reading += System.nanoTime() - t00;
        while (!read.isEmpty()) {
            long t0 = System.nanoTime();
            boolean last = read.size() <= platform.batch();
            List<SyncJobs.Item> items = last ? read : read.subList(0, platform.batch());
            after = items.get(items.size() - 1).position();
            // the next batch is read while this one is sent (the people of a planned job never change)
            int from = after;
            CompletableFuture<List<SyncJobs.Item>> next = last ? CompletableFuture.completedFuture(List.of())
                    : CompletableFuture.supplyAsync(() -> unsent(created.id(), from), hasher);
            SyncJobs.Job sending = resource.equals(created.resourceName()) ? created : created.withResource(resource);
            Platform.Sent sent = platform.send(sending, items, last, segment);
            long t2 = System.nanoTime();
            calling += t2 - t0;
            if (sent.resourceName() != null) {
                resource = sent.resourceName();
            }
            tx.run(c -> {
                if (sent.resourceName() != null) {
                    SyncJobs.status(c, created.id(), JobStatus.CREATED, sent.resourceName(), null, null);
                }
                SyncJobs.sent(c, created.id(), items, sent.rejected(), sent.invalid());
                SyncRuns.sent(c, runId, items.size(), sent.requestId());
                SyncRuns.invalid(c, runId, sent.invalid(), sent.samples());
                SyncBatches.heartbeat(c, batchId);
                return null;
            });
            long t3 = System.nanoTime();
            recording += t3 - t2;
            people += items.size();
            batches++;
            read = join(next);
            reading += System.nanoTime() - t3;
        }
        long sentPeople = people;
        int sentBatches = batches;
        long[] ms = {reading / 1_000_000, calling / 1_000_000, recording / 1_000_000};
        LOG.info(() -> "sync of segment " + segment.id() + ": job " + created.id() + " (" + created.kind() + ") sent "
                + sentPeople + " people in " + sentBatches + " batches (reading " + ms[0] + " ms, " + platform.transport() + " "
                + ms[1] + " ms, recording " + ms[2] + " ms)");
        platform.run(created.withResource(resource));
        tx.run(c -> {
            SyncJobs.status(c, created.id(), JobStatus.RUNNING, null, null, null);
            return null;
        });
    }

    /** The job's next unsent people after position {@code after}: one more than a batch (whether more follow). */
    private List<SyncJobs.Item> unsent(long jobId, int after) {
        try {
            return tx.run(c -> SyncJobs.unsent(c, jobId, after, platform.batch() + 1));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the unsent people of job " + jobId + ": " + e.getMessage(), e);
        }
    }

    private static List<SyncJobs.Item> join(CompletableFuture<List<SyncJobs.Item>> next) {
        try {
            return next.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Looks at a running job: when the platform finished it, the acknowledged set moves
     * (success) or not (failed). Returns false while the platform is still running it.
     */
    private boolean settle(SyncJobs.Job job) throws Exception {
        if (job == null) {
            return true;
        }
        Platform.Status status = platform.status(job);
        switch (status.status()) {
            case "SUCCESS" -> {
                long t0 = System.nanoTime();
                JobSettlement.Outcome outcome = tx.run(c -> {
                    JobSettlement.Outcome o = JobSettlement.succeeded(c, job, status.matchRateRange(), Instant.now());
                    // credited to the run that planned the job, which may have ended waiting for it
                    SyncRuns.settled(c, job, o, null);
                    return o;
                });
                long ms = (System.nanoTime() - t0) / 1_000_000;
                LOG.info(() -> "sync of segment " + job.segmentId() + ": " + platform.transport() + " accepted job " + job.id()
                        + " (" + job.kind() + "): " + outcome.accepted() + " people acknowledged, " + outcome.rejected() + " refused, recorded in "
                        + ms + " ms");
            }
            case "FAILED" -> tx.run(c -> {
                // (only Google's jobs run on their own and can fail) Google may have applied part of
                // it; the next plan sends the difference again
                SyncJobs.unapplied(c, job, JobStatus.FAILED, status.matchRateRange(), "Google reported the job failed");
                SyncRuns.settled(c, job, null, "Google reported the job failed");
                return null;
            });
            default -> {
                return false;
            }
        }
        return true;
    }

    private void finish(long runId, ActivatedSegment segment, SyncStatus status, String userList,
                        Platform.Report report) throws Exception {
        tx.run(c -> {
            SyncRuns.record(c, runId, userList, null);
            SyncRuns.finish(c, runId, segment.id(), status, report == null ? null : report.size(),
                    report == null ? null : report.matchRate(), null, Instant.now());
            return null;
        });
    }
}
