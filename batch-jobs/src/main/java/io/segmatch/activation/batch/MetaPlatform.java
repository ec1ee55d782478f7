package io.segmatch.activation.batch;

import io.segmatch.activation.identifiers.MetaIdentifiers;
import io.segmatch.activation.meta.MetaApi;
import io.segmatch.activation.meta.MetaAudiences;
import io.segmatch.activation.meta.MetaException;
import io.segmatch.activation.store.ActivatedSegment;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.SyncJobs;
import jakarta.json.JsonObjectBuilder;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * Meta Custom Audiences as a {@link Platform}. A job is one upload session: its resource name
 * is {@code session/<session id>/<first position>/<start, epoch seconds>}; batch {@code k} of
 * the session carries the people from position {@code first + (k - 1) × 10,000}, and the last
 * one says so. Meta answers each batch at once, so a job has succeeded once its people are
 * sent. A session resumed after a restart goes on with the next batch; when Meta refuses it
 * (a batch whose answer was lost was received already, or the session ended) or the session is
 * older than Meta keeps sessions open, the rest goes in a new session (adding or removing the
 * same people twice changes nothing at Meta).
 *
 * <p>After a final refusal of the token, a permission or the terms, every later call of this
 * sync fails at once with the same message (the other segments would only meet it again); the
 * refusal is passed to {@code problems} to be shown on the console's Meta page.
 */
final class MetaPlatform implements Platform {

    private static final Logger LOG = Logger.getLogger(MetaPlatform.class.getName());

    /** Meta ends a session 90 minutes after its first batch and drops what comes later; this leaves a margin. */
    static final Duration SESSION_LIFETIME = Duration.ofMinutes(75);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetaAudiences meta;
    private final Consumer<MetaException> problems;
    private final Clock clock;
    private MetaException stopped;

    MetaPlatform(MetaAudiences meta, Consumer<MetaException> problems, Clock clock) {
        this.meta = meta;
        this.problems = problems;
        this.clock = clock;
    }

    @Override
    public Destination destination() {
        return Destination.META;
    }

    @Override
    public String transport() {
        return "graph-api";
    }

    @Override
    public int batch() {
        return MetaAudiences.BATCH;
    }

    @Override
    public String createList(ActivatedSegment segment) {
        return guarded(() -> meta.createAudience("Segmatch: " + segment.name() + " (" + segment.id().substring(0, 8) + ")",
                "Members of the Segmatch segment " + segment.name() + ", kept in step by Segmatch"));
    }

    @Override
    public String createJob(SyncJobs.Job job, ActivatedSegment segment) {
        return session(0);
    }

    /** A new session's resource name: a random positive id, the position it starts at, and now. */
    private String session(long firstPosition) {
        long id = RANDOM.nextLong() & Long.MAX_VALUE;
        return "session/" + (id == 0 ? 1 : id) + "/" + firstPosition + "/" + clock.instant().getEpochSecond();
    }

    @Override
    public Sent send(SyncJobs.Job job, List<SyncJobs.Item> items, boolean last, ActivatedSegment segment) {
        String resource = job.resourceName();
        String[] parts = resource.split("/");
        boolean renewed = false;
        int position = items.get(0).position();
        if (Instant.ofEpochSecond(Long.parseLong(parts[3])).plus(SESSION_LIFETIME).isBefore(clock.instant())) {
            resource = session(position);
            renewed = true;
        }
        List<List<String>> rows = new ArrayList<>(items.size());
        boolean externId = false;
        for (SyncJobs.Item item : items) {
            List<String> row = Destination.metaRow(item.identifiers());
            externId |= row.size() > MetaIdentifiers.SCHEMA.size();
            rows.add(row);
        }
        // with EXTERN_ID when any row has one (a row without it gets a blank one)
        List<String> schema = externId ? Destination.META_SCHEMA_WITH_EXTERN_ID : MetaIdentifiers.SCHEMA;
        if (externId) {
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).size() < schema.size()) {
                    List<String> padded = new ArrayList<>(rows.get(i));
                    padded.add("");
                    rows.set(i, padded);
                }
            }
        }
        boolean remove = job.kind().equals("remove");
        MetaAudiences.Sent sent;
        try {
            sent = guarded(send(resource, position, last, remove, job.userList(), schema, rows));
        } catch (MetaException e) {
            if (e.code() != 2650 || e.retryable() || renewed) {
                throw e;
            }
            // the session does not take this batch (received already, or the session ended): a new one does
            LOG.info("Meta refused batch at position " + position + " of session " + resource + " (" + e.getMessage()
                    + "): the rest goes in a new session");
            resource = session(position);
            renewed = true;
            sent = guarded(send(resource, position, last, remove, job.userList(), schema, rows));
        }
        String samples = null;
        if (!sent.samples().isEmpty()) {
            JsonObjectBuilder o = JSON.createObjectBuilder();
            sent.samples().forEach(o::add);
            samples = o.build().toString();
        }
        return new Sent(null, Map.of(), sent.invalid(), samples, renewed ? resource : null);
    }

    private Supplier<MetaAudiences.Sent> send(String resource, int position, boolean last, boolean remove, String audience,
                                              List<String> schema, List<List<String>> rows) {
        String[] parts = resource.split("/");
        long sessionId = Long.parseLong(parts[1]);
        long first = Long.parseLong(parts[2]);
        int seq = (int) ((position - first) / MetaAudiences.BATCH) + 1;
        MetaApi.Session session = new MetaApi.Session(sessionId, seq, last, null);
        return () -> meta.send(audience, remove, session, schema, rows);
    }

    @Override
    public void run(SyncJobs.Job job) {
    }

    @Override
    public Status status(SyncJobs.Job job) {
        return new Status("SUCCESS", null);
    }

    @Override
    public Report report(String list) {
        MetaAudiences.Report report = guarded(() -> meta.report(list));
        // Meta gives a range; the lower bound is what it is sure of
        return new Report(report.lowerBound(), null);
    }

    @Override
    public String message(RuntimeException e) {
        return e instanceof MetaException ? e.getMessage() : null;
    }

    @Override
    public Duration pause(RuntimeException e) {
        return e instanceof MetaException m && m.retryable() && m.retryDelay() != null ? m.retryDelay() : null;
    }

    private <T> T guarded(Supplier<T> call) {
        if (stopped != null) {
            throw stopped;
        }
        try {
            return call.get();
        } catch (MetaException e) {
            MetaException.Kind kind = e.kind();
            if (kind == MetaException.Kind.TOKEN || kind == MetaException.Kind.PERMISSION || kind == MetaException.Kind.TERMS) {
                stopped = e;
                problems.accept(e);
            }
            throw e;
        }
    }
}
