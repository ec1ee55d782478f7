package io.segmatch.activation.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job the destination accepted, settled: the acknowledged set ({@code activation_member})
 * moves only then, for the adds and removes that were sent and not refused; the refused people
 * are recorded with their code, and those accepted since forgiven.
 */
public final class JobSettlement {

    private JobSettlement() {
    }

    /** Whether the destination refused anyone of the segment. */
    static boolean refusedAny(Connection c, String segmentId, Destination destination) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM activation_rejected WHERE segment_id = ? "
                + "AND destination = ?)")) {
            ps.setString(1, segmentId);
            ps.setString(2, destination.apiName());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Deletes a job's people from the acknowledged set: (keys, set, list).
     * Each key is looked up by the whole primary key (a lateral lookup, kept from being
     * flattened into a join by its {@code LIMIT}), then deleted by its row address: with
     * {@code row_key = ANY(?)} beside the segment, statistics taken before the segment's
     * first big sync (which say it has no acknowledged people) made PostgreSQL walk every
     * acknowledged person of the segment and filter them against the keys (1.2 s for 1,000
     * people at a million members, 16 s at ten million). Deleting by address relies on nothing
     * else changing these rows meanwhile: only a job's settlement writes them, one job of a
     * segment at a time, in the one running sync batch.
     */
    public static final String UNACKNOWLEDGE_SQL = byKeysSql("activation_member",
            "x.set_id = ? AND x.row_key = k.row_key AND x.list_id = ?");

    /** Forgives a job's people their refusals: (keys, segment, destination), as {@link #UNACKNOWLEDGE_SQL}. */
    public static final String FORGIVE_SQL = byKeysSql("activation_rejected",
            "x.segment_id = ? AND x.destination = ? AND x.row_key = k.row_key");

    private static String byKeysSql(String table, String where) {
        return "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT a.ctid FROM unnest(?::text[]) AS k(row_key) "
                + "CROSS JOIN LATERAL (SELECT ctid FROM " + table + " x WHERE " + where + " LIMIT 1) a))";
    }

    /** Binds the parameters after the keys of a {@link #byKey} statement. */
    private interface Rest {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * Runs {@code sql} (keys, then what {@code rest} binds) for the job's accepted people, 5,000
     * keys at a time read in position order. Returns the rows changed.
     */
    private static long byKey(Connection c, SyncJobs.Job job, String sql, Rest rest) throws SQLException {
        long changed = 0;
        int after = -1;
        while (true) {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT position, row_key FROM sync_job_item WHERE job_id = ? "
                    + "AND position > ? AND position <= (SELECT sent_through FROM sync_job WHERE id = ?) "
                    + "AND rejected_code IS NULL ORDER BY position LIMIT 5000")) {
                ps.setLong(1, job.id());
                ps.setInt(2, after);
                ps.setLong(3, job.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        after = rs.getInt(1);
                        keys.add(rs.getString(2));
                    }
                }
            }
            if (keys.isEmpty()) {
                return changed;
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("text", keys.toArray()));
                rest.bind(ps);
                changed += ps.executeUpdate();
            }
        }
    }

    /** What a finished job did: people accepted (sent, not rejected) and rejected, by code. */
    public record Outcome(long accepted, long rejected, Map<String, Long> rejectedCodes) {
    }

    /**
     * The job's accepted people into the acknowledged set: (set, list, time, job, job). Run with
     * sequential scans off ({@link SyncJobs#throughJobKey}).
     */
    public static final String ACKNOWLEDGE_SQL = firstAcknowledgement() + " ON CONFLICT (set_id, row_key) "
            + "DO UPDATE SET identifiers = excluded.identifiers, added_at = excluded.added_at, list_id = excluded.list_id";

    /**
     * {@link #ACKNOWLEDGE_SQL} without its conflict clause, for a segment nobody of which is
     * acknowledged at the destination yet (its first sync there): the same rows, without a
     * speculative insertion (a look into the primary key first) per person: ten million people
     * were recorded in 88 s this way, 157–171 s with the conflict clause.
     */
    public static final String FIRST_ACKNOWLEDGE_SQL = firstAcknowledgement();

    private static String firstAcknowledgement() {
        return "INSERT INTO activation_member (set_id, row_key, list_id, identifiers, added_at) "
                + "SELECT ?, i.row_key, ?, i.identifiers, ? FROM sync_job_item i WHERE i.job_id = ? "
                + "AND i.position <= (SELECT sent_through FROM sync_job WHERE id = ?) AND i.rejected_code IS NULL";
    }

    /** The job's refused people, recorded: (segment, time, destination, job); read through the refusals' index. */
    public static final String REFUSED_SQL = "INSERT INTO activation_rejected (segment_id, row_key, identifiers, "
            + "code, rejected_at, destination) SELECT ?, row_key, identifiers, rejected_code, ?, ? FROM sync_job_item "
            + "WHERE job_id = ? AND rejected_code IS NOT NULL ON CONFLICT (segment_id, destination, row_key) DO UPDATE "
            + "SET identifiers = excluded.identifiers, code = excluded.code, rejected_at = excluded.rejected_at";

    /** How many of the job's people were refused, by code: (job); read through the refusals' index. */
    public static final String REFUSAL_CODES_SQL = "SELECT rejected_code, count(*) FROM sync_job_item "
            + "WHERE job_id = ? AND rejected_code IS NOT NULL GROUP BY rejected_code";

    /**
     * Google accepted the job: its people move into (adds) or out of (removes) the
     * acknowledged set, except those rejected. The job is marked {@code success}, with how long
     * recording this took.
     */
    public static Outcome succeeded(Connection c, SyncJobs.Job job, String matchRateRange, Instant now) throws SQLException {
        long t0 = System.nanoTime();
        long accepted;
        if (job.kind().equals("add")) {
            // only a job's settlement adds to the set, one job of a segment at a time: empty now,
            // empty until this insert; or planned when it was empty, with the other jobs of that
            // plan (other people) settled since (migration V23)
            int set = ActivationSets.ensure(c, job.segmentId(), job.destination());
            int list = ActivationSets.ensureList(c, job.userList());
            String sql = job.intoEmptySet() || !ActivationSets.holdsAny(c, set) ? FIRST_ACKNOWLEDGE_SQL : ACKNOWLEDGE_SQL;
            ActivationSets.acknowledged(c, set, now);
            accepted = SyncJobs.throughJobKey(c, x -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setInt(1, set);
                    ps.setInt(2, list);
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setLong(4, job.id());
                    ps.setLong(5, job.id());
                    return (long) ps.executeUpdate();
                }
            });
            // refused people are not sent again with the same identifiers; accepted ones are forgiven
            try (PreparedStatement ps = c.prepareStatement(REFUSED_SQL)) {
                ps.setString(1, job.segmentId());
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, job.destination().apiName());
                ps.setLong(4, job.id());
                ps.executeUpdate();
            }
            if (refusedAny(c, job.segmentId(), job.destination())) {
                byKey(c, job, FORGIVE_SQL, ps -> {
                    ps.setString(2, job.segmentId());
                    ps.setString(3, job.destination().apiName());
                });
            }
        } else {
            int set = ActivationSets.id(c, job.segmentId(), job.destination());
            int list = ActivationSets.listId(c, job.userList());
            accepted = byKey(c, job, UNACKNOWLEDGE_SQL, ps -> {
                ps.setInt(2, set);
                ps.setInt(3, list);
            });
            // a refused remove stays acknowledged: the next plan tries it again
            SyncJobs.requeue(c, job.segmentId(), job.destination(), List.of(job.id()), true);
        }
        Map<String, Long> codes = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(REFUSAL_CODES_SQL)) {
            ps.setLong(1, job.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    codes.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        SyncJobs.status(c, job.id(), JobStatus.SUCCESS, null, matchRateRange, null);
        SyncJobs.recorded(c, job.id(), (System.nanoTime() - t0) / 1_000_000);
        long invalid = invalidEntries(c, job.id());
        if (invalid > 0) {
            // Meta says how many of the rows it could not use, not which: they stay acknowledged
            // (a remove resends them, harmlessly) and count as refused rather than accepted
            codes.put(INVALID_ENTRIES, invalid);
            accepted = Math.max(0, accepted - invalid);
        }
        return new Outcome(accepted, codes.values().stream().mapToLong(Long::longValue).sum(), codes);
    }

    /** The refusal code under which rows a destination reported only as a count are shown. */
    public static final String INVALID_ENTRIES = "INVALID_ENTRY";

    private static long invalidEntries(Connection c, long jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT invalid_entries FROM sync_job WHERE id = ?")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
