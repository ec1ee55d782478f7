package io.segmatch.activation.store;

import io.segmatch.activation.identifiers.StoredIdentifiers;
import io.segmatch.shared.store.Jdbc;
import io.segmatch.shared.store.Transactions.Work;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sync jobs and the people they carry: a job's people read to be sent, what was sent and
 * refused, its status, and its people put back in the activation queue. A job's id is its
 * Google Ads {@code externalId}. What a job that succeeded does to the acknowledged set:
 * {@link JobSettlement}.
 */
public final class SyncJobs {

    private SyncJobs() {
    }

    /**
     * A job as the engine and the API see it; {@code intoEmptySet}: planned when the
     * destination held nobody of the segment (migration V23), {@code people}: how many it
     * carries, {@code recordedMillis}: how long recording its acceptance took (null until then).
     */
    public record Job(long id, long syncRunId, String segmentId, Destination destination, String userList, String kind,
                      JobStatus status, String resourceName, String matchRateRange, String error, long sentThrough,
                      long invalidEntries, boolean intoEmptySet, long people, Integer recordedMillis) {

        /** The same job, known to the platform by {@code resource}. */
        public Job withResource(String resource) {
            return new Job(id, syncRunId, segmentId, destination, userList, kind, status, resource, matchRateRange, error,
                    sentThrough, invalidEntries, intoEmptySet, people, recordedMillis);
        }
    }

    /** A person in a job: position in the job, key, identifiers (JSON of hashes). */
    public record Item(int position, String key, String identifiers) {
    }

    /**
     * Puts the keys of these jobs (only those the destination rejected, when {@code rejectedOnly})
     * back in the segment's activation queue of that destination, as updates: its next plan looks
     * at them again.
     */
    public static void requeue(Connection c, String segmentId, Destination destination, List<Long> jobIds,
                               boolean rejectedOnly) throws SQLException {
        throughJobKey(c, x -> {
            try (PreparedStatement ps = c.prepareStatement(requeueSql(rejectedOnly))) {
                ps.setString(1, segmentId);
                ps.setString(2, destination.apiName());
                ps.setArray(3, c.createArrayOf("bigint", jobIds.toArray()));
                return ps.executeUpdate();
            }
        });
    }

    /** The requeue: (segment, destination, jobs); only the refused people when {@code refusedOnly}. */
    public static String requeueSql(boolean refusedOnly) {
        return "INSERT INTO activation_queue (segment_id, change, queued_at, run_id, row_keys, destination) "
                + "SELECT ?, 'update', now(), NULL, array_agg(row_key), ? FROM (SELECT row_key, "
                + "(row_number() OVER (ORDER BY job_id, position) - 1) / 10000 AS b FROM sync_job_item "
                + "WHERE job_id = ANY(?)" + (refusedOnly ? " AND rejected_code IS NOT NULL" : "") + ") x GROUP BY b";
    }

    /**
     * Runs statements that read the people of given jobs with sequential scans off, so that
     * they read those people through the job's key whatever the statistics say: a generic plan
     * estimates a job at the table's rows over the jobs it has seen and scans the people of
     * every job ever sent (on the 10M benchmark's database, 2.6 s for the acknowledgement of a
     * job of 1,000).
     */
    static <T> T throughJobKey(Connection c, Work<T> work) throws SQLException {
        return Jdbc.withPlannerOff(c, List.of("seqscan"), work);
    }

    /**
     * The segment's next job to a destination that is not finished yet, if any: the first of
     * those a plan made (a plan of more people than a job takes makes several, sent and settled
     * in turn; no plan is made while one is open).
     */
    public static Optional<Job> open(Connection c, String segmentId, Destination destination) throws SQLException {
        List<Job> jobs = read(c, "WHERE segment_id = ? AND destination = ? AND status IN ('new', 'created', 'running') "
                + "ORDER BY id", segmentId, destination.apiName());
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
    }

    /** The jobs of a sync run, in order. */
    public static List<Job> ofRun(Connection c, long syncRunId) throws SQLException {
        return read(c, "WHERE sync_run_id = ? ORDER BY id", syncRunId);
    }

    private static List<Job> read(Connection c, String where, Object... params) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, sync_run_id, segment_id, user_list, kind, status, "
                + "resource_name, match_rate_range, error, destination, sent_through, invalid_entries, into_empty_set, "
                + "recorded_millis, people FROM sync_job " + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new Job(rs.getLong(1), rs.getLong(2), rs.getString(3), Destination.of(rs.getString(10)),
                            rs.getString(4), rs.getString(5), JobStatus.of(rs.getString(6)), rs.getString(7), rs.getString(8),
                            rs.getString(9), rs.getLong(11), rs.getLong(12), rs.getBoolean(13), rs.getLong(15),
                            (Integer) rs.getObject(14)));
                }
            }
        }
        return jobs;
    }

    /** The next people of a job not sent yet: (job, after position, job, limit). */
    public static final String UNSENT_SQL = "SELECT position, row_key, identifiers FROM sync_job_item "
            + "WHERE job_id = ? AND position > greatest(?, (SELECT sent_through FROM sync_job WHERE id = ?)) "
            + "ORDER BY position LIMIT ?";

    /**
     * The next people of a job not sent yet, in position order, after a position (-1: after
     * what the job recorded as sent).
     */
    public static List<Item> unsent(Connection c, long jobId, int after, int limit) throws SQLException {
        List<Item> items = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(UNSENT_SQL)) {
            ps.setLong(1, jobId);
            ps.setInt(2, after);
            ps.setLong(3, jobId);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(new Item(rs.getInt(1), rs.getString(2), StoredIdentifiers.unpack(rs.getBytes(3))));
                }
            }
        }
        return items;
    }

    /**
     * Records an accepted batch of a job: everyone up to its last position was sent (people
     * go in position order); those in {@code rejected} with Google's code.
     */
    public static void sent(Connection c, long jobId, List<Item> items, Map<String, String> rejected) throws SQLException {
        sent(c, jobId, items, rejected, 0);
    }

    /**
     * {@link #sent(Connection, long, List, Map)} for a destination that reports only how many
     * of a batch it could not use ({@code invalid}, Meta), not who.
     */
    public static void sent(Connection c, long jobId, List<Item> items, Map<String, String> rejected, long invalid)
            throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_job SET sent_through = greatest(sent_through, ?), "
                + "invalid_entries = invalid_entries + ? WHERE id = ?")) {
            ps.setInt(1, items.stream().mapToInt(Item::position).max().getAsInt());
            ps.setLong(2, invalid);
            ps.setLong(3, jobId);
            ps.executeUpdate();
        }
        if (rejected.isEmpty()) {
            return;
        }
        List<Item> refused = items.stream().filter(i -> rejected.containsKey(i.key())).toList();
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_job_item SET rejected_code = d.code "
                + "FROM unnest(?::integer[], ?::text[]) AS d(p, code) WHERE job_id = ? AND position = d.p")) {
            ps.setArray(1, c.createArrayOf("integer", refused.stream().map(Item::position).toArray()));
            ps.setArray(2, c.createArrayOf("text", refused.stream().map(i -> rejected.get(i.key())).toArray()));
            ps.setLong(3, jobId);
            ps.executeUpdate();
        }
    }

    /** Records how long recording the job's acceptance took (shown with the job). */
    static void recorded(Connection c, long jobId, long millis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_job SET recorded_millis = ? WHERE id = ?")) {
            ps.setInt(1, (int) Math.min(Integer.MAX_VALUE, millis));
            ps.setLong(2, jobId);
            ps.executeUpdate();
        }
    }

    /** Moves a job on: its status, and its resource name or match rate range when known. */
    public static void status(Connection c, long jobId, JobStatus status, String resourceName, String matchRateRange,
                              String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_job SET status = ?, resource_name = coalesce(?, resource_name), "
                + "match_rate_range = coalesce(?, match_rate_range), error = ?, updated_at = now() WHERE id = ?")) {
            ps.setString(1, status.apiName());
            ps.setString(2, resourceName);
            ps.setString(3, matchRateRange);
            ps.setString(4, error);
            ps.setLong(5, jobId);
            ps.executeUpdate();
        }
    }

    /**
     * Ends a job that will not move the acknowledged set ({@code failed}: Google reported it
     * failed, {@code abandoned}: never run); its people go back to the activation queue.
     */
    public static void unapplied(Connection c, Job job, JobStatus status, String matchRateRange, String error)
            throws SQLException {
        status(c, job.id(), status, null, matchRateRange, error);
        requeue(c, job.segmentId(), job.destination(), List.of(job.id()), false);
    }
}
