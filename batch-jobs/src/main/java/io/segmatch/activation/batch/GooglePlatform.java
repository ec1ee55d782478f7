package io.segmatch.activation.batch;

import io.segmatch.activation.google.CustomerMatch;
import io.segmatch.activation.google.GoogleException;
import io.segmatch.activation.store.ActivatedSegment;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.SyncJobs;

import java.util.List;

/** Google Customer Match as a {@link Platform}: either of its transports ({@link CustomerMatch}). */
final class GooglePlatform implements Platform {

    private final CustomerMatch google;
    private final String transport;
    private final int perJob;

    GooglePlatform(CustomerMatch google, String transport, int perJob) {
        this.google = google;
        this.transport = transport;
        this.perJob = perJob;
    }

    @Override
    public Destination destination() {
        return Destination.GOOGLE_ADS;
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public int batch() {
        return CustomerMatch.BATCH;
    }

    @Override
    public int perJob() {
        return perJob;
    }

    @Override
    public String createList(ActivatedSegment segment) {
        return google.createUserList("Segmatch: " + segment.name() + " (" + segment.id().substring(0, 8) + ")",
                "Members of the Segmatch segment " + segment.name() + ", kept in step by Segmatch");
    }

    @Override
    public String createJob(SyncJobs.Job job, ActivatedSegment segment) {
        return google.createJob(job, segment.adUserData(), segment.adPersonalization());
    }

    @Override
    public Sent send(SyncJobs.Job job, List<SyncJobs.Item> items, boolean last, ActivatedSegment segment) {
        CustomerMatch.Sent sent = google.send(job, items, segment.adUserData(), segment.adPersonalization());
        return new Sent(sent.requestId(), sent.rejected(), 0, null, null);
    }

    @Override
    public void run(SyncJobs.Job job) {
        google.run(job);
    }

    @Override
    public Status status(SyncJobs.Job job) {
        CustomerMatch.Status status = google.status(job);
        return new Status(status.status(), status.matchRateRange());
    }

    @Override
    public Report report(String list) {
        CustomerMatch.ListReport report = google.report(list);
        return new Report(report.size(), report.matchRate());
    }

    @Override
    public String message(RuntimeException e) {
        return e instanceof GoogleException ? e.getMessage() : null;
    }

    @Override
    public boolean lostCreation(RuntimeException e) {
        return e instanceof GoogleException g && "EXTERNAL_UPDATE_ID_ALREADY_EXISTS".equals(g.code());
    }
}
