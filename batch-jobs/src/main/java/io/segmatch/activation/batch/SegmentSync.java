package io.segmatch.activation.batch;

import io.segmatch.activation.google.CustomerMatch;
import io.segmatch.activation.google.GoogleException;
import io.segmatch.activation.store.ActivatedSegment;
import io.segmatch.activation.store.JobStatus;
import io.segmatch.activation.store.SyncStatus;
import io.segmatch.activation.store.SyncJobs;
import io.segmatch.activation.store.SyncPlans;
import io.segmatch.activation.store.SyncRuns;
import io.segmatch.shared.store.Transactions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * One segment's sync: finish what an earlier sync left (poll a job Google is running, or
 * resume sending a job created before a restart), make sure the list exists, plan the
 * difference, and send it. Every step commits before the next call to Google, so a restart
 * anywhere resumes without a second job and without losing anything; the acknowledged set
 * moves only when Google accepted.
 */
public final class SegmentSync {

    private static final Logger LOG = Logger.getLogger(SegmentSync.class.getName());

    private final Transactions tx;
    private final CustomerMatch google;
    private final boolean canonicalGmail;
    private final String transport;
    private final Duration fullPlanEvery;
    private final Executor hasher;

    /**
     * @param fullPlanEvery a plan older than this since the last full one is full (a reconciliation)
     * @param hasher        where a plan hashes identifiers while it reads the next rows
     */
    public SegmentSync(Transactions tx, CustomerMatch google, boolean canonicalGmail, String transport, Duration fullPlanEvery,
                       Executor hasher) {
        this.tx = tx;
        this.google = google;
        this.canonicalGmail = canonicalGmail;
        this.transport = transport;
        this.fullPlanEvery = fullPlanEvery;
        this.hasher = hasher;
    }

    /** Syncs one segment; returns the sync run's status. Failures are recorded on the run, not thrown. */
    public SyncStatus sync(long batchId, ActivatedSegment segment, String reason) throws Exception {
        long runId = tx.run(c -> SyncRuns.start(c, batchId, segment.id(), transport, reason));
        String userList = segment.userList();
        try {
            Optional<SyncJobs.Job> open = tx.run(c -> SyncJobs.open(c, segment.id()));
            if (open.isPresent()) {
                SyncJobs.Job job = open.get();
                if (job.status() == JobStatus.RUNNING) {
                    if (!settle(job)) {
                        finish(runId, segment, SyncStatus.WAITING, userList, null);
                        return SyncStatus.WAITING;
                    }
                } else {
                    // created (or planned) before a restart: send what was not sent, then run it
                    send(batchId, runId, segment, job);
                    if (!settle(tx.run(c -> SyncJobs.open(c, segment.id())).orElse(null))) {
                        finish(runId, segment, SyncStatus.WAITING, userList, null);
                        return SyncStatus.WAITING;
                    }
                }
            }
            if (userList == null) {
                if (segment.deleted()) {
                    finish(runId, segment, SyncStatus.COMPLETED, null, null);
                    return SyncStatus.COMPLETED;
                }
                String created = google.createUserList("Segmatch: " + segment.name() + " (" + segment.id().substring(0, 8) + ")",
                        "Members of the Segmatch segment " + segment.name() + ", kept in step by Segmatch");
                tx.run(c -> {
                    ActivatedSegment.recordUserList(c, segment.id(), created);
                    return null;
                });
                userList = created;
            }
            String list = userList;
            SyncPlans.Plan plan = null;
            while (plan == null) {
                // a full plan first waits for membership writes that read the activation settings before now
                SyncPlans.Basis basis = tx.run(c -> SyncPlans.basis(c, segment, list, canonicalGmail, fullPlanEvery, Instant.now()));
                if (basis.full()) {
                    barrier(batchId);
                }
                plan = tx.run(c -> {
                    SyncPlans.Plan p = SyncPlans.plan(c, runId, segment, list, canonicalGmail, fullPlanEvery, basis, Instant.now(),
                            hasher);
                    if (p != null) {
                        SyncRuns.record(c, runId, list, p);
                    }
                    return p;
                });
            }
            SyncPlans.Plan planned = plan;
            LOG.info(() -> "sync of segment " + segment.id() + " planned (" + planned.scope() + ", " + planned.examined()
                    + " looked at) in " + planned.millis() + " ms: " + planned.adds() + " to add, " + planned.removes()
                    + " to remove, " + planned.skipped() + " skipped (" + planned.phases() + ")");
            SyncStatus status = SyncStatus.COMPLETED;
            if (plan.jobId() != null) {
                SyncJobs.Job job = tx.run(c -> SyncJobs.open(c, segment.id())).orElseThrow();
                send(batchId, runId, segment, job);
                SyncJobs.Job sent = tx.run(c -> SyncJobs.open(c, segment.id())).orElse(null);
                if (!settle(sent)) {
                    status = SyncStatus.WAITING;
                }
            }
            finish(runId, segment, status, list, google.report(list));
            return status;
        } catch (Exception e) {
            // Google's refusals are worded for the user; anything else (a transaction that timed
            // out, a database gone) is named as what it is, and the run does not stay "running"
            String message = e instanceof GoogleException ? e.getMessage() : "the sync failed: " + e;
            LOG.warning(() -> "sync of segment " + segment.id() + " failed: " + message);
            tx.run(c -> {
                SyncRuns.finish(c, runId, segment.id(), SyncStatus.FAILED, null, null, message, Instant.now());
                return null;
            });
            return SyncStatus.FAILED;
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
                    SyncRuns.heartbeat(c, batchId);
                    return null;
                });
                heartbeat = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    /** Creates the job at Google if needed, sends its unsent people batch by batch, and runs it. */
    private void send(long batchId, long runId, ActivatedSegment segment, SyncJobs.Job planned) throws Exception {
        SyncJobs.Job job = planned;
        if (job.status() == JobStatus.NEW) {
            String resource;
            try {
                resource = google.createJob(job, segment.adUserData(), segment.adPersonalization());
            } catch (GoogleException e) {
                if ("EXTERNAL_UPDATE_ID_ALREADY_EXISTS".equals(e.code())) {
                    // created by a call whose answer was lost: that job is never run; the next sync plans anew
                    SyncJobs.Job lost = job;
                    tx.run(c -> {
                        SyncJobs.unapplied(c, lost, JobStatus.ABANDONED, null, "its creation's answer was lost");
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
            job = tx.run(c -> SyncJobs.open(c, segment.id())).orElseThrow();
        }
        SyncJobs.Job created = job;
        int after = -1;
        long reading = 0;
        long calling = 0;
        long recording = 0;
        long people = 0;
        int batches = 0;
        while (true) {
            int from = after;
            long t0 = System.nanoTime();
            List<SyncJobs.Item> items = tx.run(c -> SyncJobs.unsent(c, created.id(), from, CustomerMatch.BATCH));
            long t1 = System.nanoTime();
            reading += t1 - t0;
            if (items.isEmpty()) {
                break;
            }
            after = items.get(items.size() - 1).position();
            CustomerMatch.Sent sent = google.send(created, items, segment.adUserData(), segment.adPersonalization());
            long t2 = System.nanoTime();
            calling += t2 - t1;
            tx.run(c -> {
                SyncJobs.sent(c, created.id(), items, sent.rejected());
                SyncRuns.sent(c, runId, items.size(), sent.requestId());
                SyncRuns.heartbeat(c, batchId);
                return null;
            });
            recording += System.nanoTime() - t2;
            people += items.size();
            batches++;
        }
        long sentPeople = people;
        int sentBatches = batches;
        long[] ms = {reading / 1_000_000, calling / 1_000_000, recording / 1_000_000};
        LOG.info(() -> "sync of segment " + segment.id() + ": job " + created.id() + " (" + created.kind() + ") sent "
                + sentPeople + " people in " + sentBatches + " batches (reading " + ms[0] + " ms, Google " + ms[1]
                + " ms, recording " + ms[2] + " ms)");
        google.run(created);
        tx.run(c -> {
            SyncJobs.status(c, created.id(), JobStatus.RUNNING, null, null, null);
            return null;
        });
    }

    /**
     * Looks at a running job: when Google finished it, the acknowledged set moves (success)
     * or not (failed). Returns false while Google is still running it.
     */
    private boolean settle(SyncJobs.Job job) throws Exception {
        if (job == null) {
            return true;
        }
        CustomerMatch.Status status = google.status(job);
        switch (status.status()) {
            case "SUCCESS" -> {
                long t0 = System.nanoTime();
                SyncJobs.Outcome outcome = tx.run(c -> {
                    SyncJobs.Outcome o = SyncJobs.succeeded(c, job, status.matchRateRange(), Instant.now());
                    // credited to the run that sent the job, which may have ended waiting for it
                    SyncRuns.settled(c, job, o, null);
                    return o;
                });
                long ms = (System.nanoTime() - t0) / 1_000_000;
                LOG.info(() -> "sync of segment " + job.segmentId() + ": Google accepted job " + job.id() + " (" + job.kind()
                        + "): " + outcome.accepted() + " people acknowledged, " + outcome.rejected() + " refused, recorded in "
                        + ms + " ms");
            }
            case "FAILED" -> tx.run(c -> {
                // Google may have applied part of it; the next plan sends the difference again
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
                        CustomerMatch.ListReport report) throws Exception {
        tx.run(c -> {
            SyncRuns.record(c, runId, userList, null);
            SyncRuns.finish(c, runId, segment.id(), status, report == null ? null : report.size(),
                    report == null ? null : report.matchRate(), null, Instant.now());
            return null;
        });
    }
}
