package io.segmatch.activation.store;

import io.segmatch.datasets.entity.Identifiers;
import io.segmatch.membership.store.LiveSegments;
import io.segmatch.shared.store.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Plans a segment's sync to one destination: the difference between its current members (with
 * their identifiers now, as that destination takes them) and what the destination acknowledged. Members to add: not acknowledged, or
 * acknowledged with other identifiers (their old identifiers are removed first), or last
 * added over 500 days ago (lists forget after 540). Members to remove: acknowledged and no
 * longer members (or the segment was deleted), or left without a usable identifier. People
 * the destination refused are not sent again with the same identifiers (counted as skipped). Removes
 * go first: a plan with removes makes a remove job, and the adds wait for the next sync (one
 * job per list at a time); their keys go back to the activation queue. The chosen job and
 * the people it carries are written in the caller's transaction.
 *
 * <p>A plan looks only at what changed when it can: the keys of the activation queue (members
 * who entered or left, changed rows that stay members, keys put back by an earlier sync) and
 * the members due to be added again. It looks at every member and every acknowledged person
 * (a full plan) when the queue cannot hold everything since the last plan: the first plan,
 * after a change of the activation settings or of the identifier settings, for a deleted
 * segment, and when the last full plan is older than the configured period.
 */
public final class SyncPlans {

    /** Members whose last add is older than this are added again. */
    public static final Duration READD_AFTER = Duration.ofDays(500);

    private SyncPlans() {
    }

    /** A job holds at most this many people unless the caller says otherwise (no limit). */
    public static final int ANY_NUMBER = Integer.MAX_VALUE;

    /**
     * What a plan found, and the first job it made (null: nothing to send) and how many.
     *
     * @param scope    "full" or "changes"
     * @param examined the people looked at (members and acknowledged people, or queued keys)
     * @param jobs     the jobs made: more than one when the people outnumber what a job takes
     */
    public record Plan(long adds, long removes, long skipped, Long jobId, String kind, String scope, long examined,
                       long millis, String phases, int jobs) {
    }

    /** What a plan is based on, read before planning: whether it must be full. */
    public record Basis(boolean full, long activationVersion, String settings) {
    }

    /**
     * Whether the next plan of this segment must be full: no earlier plan, another activation
     * version or other identifier settings than the last plan's, a deleted segment, or a last
     * full plan older than {@code fullEvery}.
     */
    public static Basis basis(Connection c, ActivatedSegment segment, String userList,
                              IdentifierSettings identifierSettings,
                              Duration fullEvery, Instant now) throws SQLException {
        Identifiers roles = ActivatedSegment.roles(c, segment.datasetId());
        StringBuilder settings = new StringBuilder();
        for (String role : Identifiers.ROLES) {
            settings.append(role).append('=').append(roles.column(role)).append(';');
        }
        settings.append("region=").append(roles.getDefaultPhoneRegion()).append(';')
                .append(identifierSettings.basis(segment.destination()))
                .append(";list=").append(userList);
        long version;
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce((destination_versions ->> ?)::bigint, 0) FROM segment "
                + "WHERE id = ?")) {
            ps.setString(1, segment.destination().settingsKey());
            ps.setString(2, segment.id());
            try (ResultSet rs = ps.executeQuery()) {
                version = rs.next() ? rs.getLong(1) : -1;
            }
        }
        boolean full = true;
        try (PreparedStatement ps = c.prepareStatement("SELECT activation_version, settings, full_at FROM activation_basis "
                + "WHERE segment_id = ? AND destination = ?")) {
            ps.setString(1, segment.id());
            ps.setString(2, segment.destination().apiName());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    full = rs.getLong(1) != version || !rs.getString(2).contentEquals(settings)
                            || rs.getTimestamp(3).toInstant().isBefore(now.minus(fullEvery));
                }
            }
        }
        return new Basis(full || segment.deleted(), version, settings.toString());
    }

    /**
     * Whether no membership write that read the activation settings before now is still open
     * (they hold {@link LiveSegments#ACTIVATION_LOCK} shared): true once the lock could be
     * taken exclusively, in a transaction of its own committed before a full plan, whose
     * members then include everything those writes did without queueing. Call it again until
     * it is true.
     */
    public static boolean barrier(Connection c) throws SQLException {
        // tried, never waited for: a waiting exclusive request would queue new membership
        // writes behind it; the caller tries again a moment later
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, LiveSegments.ACTIVATION_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Binds {@link PlanStatements#planSql}'s parameters for the segment. */
    private static void bindPlan(PreparedStatement ps, ActivatedSegment segment, int set, Identifiers roles,
                                 List<String> roleNames, boolean refusals) throws SQLException {
        int p = 1;
        for (String role : roleNames) {
            ps.setString(p++, roles.column(role));
        }
        ps.setString(p++, segment.datasetId());
        ps.setString(p++, segment.datasetId());
        ps.setInt(p++, segment.number());
        ps.setBoolean(p++, segment.deleted());
        ps.setInt(p++, set);
        if (refusals) {
            ps.setString(p, segment.id());
        }
    }

    /** The temporary table of a full plan's rows, dropped once decided. */
    static final String FULL_PLAN = "plan_full";

    /** A segment is planned as a join when it holds at least this share of its dataset's rows. */
    static final double JOINED_SHARE = 0.5;

    /**
     * Whether a full plan reads the segment's members as a join of sets: when they are at least
     * {@link #JOINED_SHARE} of the dataset's rows (the recorded counts; a deleted segment or an
     * unknown count is looked up member by member).
     */
    static boolean largeShare(Connection c, ActivatedSegment segment) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT s.member_count, d.row_count FROM segment s "
                + "JOIN dataset d ON d.id = s.dataset_id WHERE s.id = ?")) {
            ps.setString(1, segment.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && !segment.deleted() && rs.getLong(2) > 0 && rs.getLong(1) >= JOINED_SHARE * rs.getLong(2);
            }
        }
    }

    /**
     * Plans the segment's sync on the given basis (read by {@link #basis} before; a full one
     * after {@link #barrier}), consumes the queue entries it covered and records the basis for
     * the next plan. Returns null when the basis changed meanwhile: call again with a new one.
     */
    public static Plan plan(Connection c, long syncRunId, ActivatedSegment segment, String userList,
                            IdentifierSettings identifierSettings, Duration fullEvery, Basis basis, Instant now)
            throws SQLException {
        return plan(c, syncRunId, segment, userList, identifierSettings, fullEvery, basis, now, Runnable::run, ANY_NUMBER);
    }

    /**
     * {@link #plan}, hashing identifiers on {@code hasher} while the next rows are read, in jobs
     * of at most {@code perJob} people (the platform's: Google recommends at most a million
     * operations per job).
     */
    public static Plan plan(Connection c, long syncRunId, ActivatedSegment segment, String userList,
                            IdentifierSettings identifierSettings, Duration fullEvery, Basis basis, Instant now,
                            Executor hasher, int perJob) throws SQLException {
        long t0 = System.nanoTime();
        PlanDecisions.Phases phases = new PlanDecisions.Phases();
        Basis current = basis(c, segment, userList, identifierSettings, fullEvery, now);
        if (current.full() && !basis.full() || current.activationVersion() != basis.activationVersion()
                || !current.settings().equals(basis.settings())) {
            return null;
        }
        Identifiers roles = ActivatedSegment.roles(c, segment.datasetId());
        List<String> roleNames = Identifiers.ROLES.stream().filter(r -> roles.column(r) != null).toList();
        try (Statement st = c.createStatement()) {
            // planned for this segment's own figures: a plan cached for generic parameters reads
            // a small segment's acknowledged people by scanning every segment's
            st.execute("SET LOCAL plan_cache_mode = force_custom_plan");
            st.execute("CREATE TEMP TABLE plan_queue (id bigint PRIMARY KEY) ON COMMIT DROP");
        }
        // the queue entries this plan covers: read first, so that the members it reads are at least as new
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO plan_queue SELECT id FROM activation_queue "
                + "WHERE segment_id = ? AND destination = ?")) {
            ps.setString(1, segment.id());
            ps.setString(2, segment.destination().apiName());
            ps.executeUpdate();
        }
        phases.done("basis and queue");
        // refusals are recorded only by a job's settlement, in this sync, one job of a segment at a time
        boolean refusals = JobSettlement.refusedAny(c, segment.id(), segment.destination());
        int set = ActivationSets.id(c, segment.id(), segment.destination());
        boolean emptySet = set == ActivationSets.NONE || !ActivationSets.holdsAny(c, set);
        JobItems adds = new JobItems(c, syncRunId, segment.id(), segment.destination(), userList, "add", now, perJob,
                emptySet);
        JobItems removes = new JobItems(c, syncRunId, segment.id(), segment.destination(), userList, "remove", now,
                perJob, emptySet);
        Instant readdBefore = now.minus(READD_AFTER);
        long[] counts = new long[3]; // changed, skipped, examined
        // people added over 500 days ago: a full plan decides them from what it reads, a plan of changes adds them to its keys
        boolean readdDue = set != ActivationSets.NONE && ActivationSets.readdDue(c, set, readdBefore);
        if (basis.full()) {
            // the form is chosen from the segment's own counts, never from the planner's statistics
            boolean joined = largeShare(c, segment);
            if (joined) {
                // most of the dataset: read as the join finds it (through a table it would be
                // written and read once more: at 10M rows the every-row plan took 146.57 s that
                // way, 113.83 s streamed), in key order (PlanStatements.JOINED_PLAN)
                Jdbc.withPlannerOff(c, PlanStatements.JOINED_PLAN, x -> {
                    try (PreparedStatement ps = c.prepareStatement(PlanStatements.planSql(roleNames.size(),
                            segment.destination(), true, refusals))) {
                        bindPlan(ps, segment, set, roles, roleNames, refusals);
                        PlanDecisions.decide(ps, segment.destination(), roles, roleNames, identifierSettings, readdBefore,
                                adds, removes, counts, phases, hasher);
                    }
                    return null;
                });
                phases.done("joined");
            } else {
                // the members looked up by one statement that PostgreSQL may share among parallel
                // workers (a read through a cursor never is), into a temporary table then read and dropped;
                // two workers at least: this process writes the table (on two cores with one worker, as the
                // embedded database allows other statements, the 99,403 members took 4.6 s to find, not 2.0 s)
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS " + FULL_PLAN);
                }
                Jdbc.withParallelWorkersFree(c, 2, x -> {
                    try (PreparedStatement ps = x.prepareStatement("CREATE TEMPORARY TABLE " + FULL_PLAN + " AS "
                            + PlanStatements.planSql(roleNames.size(), segment.destination(), false, refusals))) {
                        bindPlan(ps, segment, set, roles, roleNames, refusals);
                        return ps.executeUpdate();
                    }
                });
                phases.done("members found");
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + FULL_PLAN)) {
                    PlanDecisions.decide(ps, segment.destination(), roles, roleNames, identifierSettings, readdBefore, adds,
                            removes, counts, phases, hasher);
                }
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE " + FULL_PLAN);
                }
            }
        } else {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE plan_keys (row_key " + Jdbc.ROW_KEY_TYPE + " PRIMARY KEY) ON COMMIT DROP");
                st.execute("INSERT INTO plan_keys SELECT DISTINCT k FROM activation_queue q CROSS JOIN LATERAL "
                        + "unnest(q.row_keys) AS k WHERE q.id IN (SELECT id FROM plan_queue)");
            }
            if (readdDue) {
                try (PreparedStatement ps = c.prepareStatement(PlanStatements.READD_SQL)) {
                    ps.setInt(1, set);
                    ps.setTimestamp(2, Timestamp.from(readdBefore));
                    ps.executeUpdate();
                }
            }
            phases.done("keys");
            try (PreparedStatement ps = c.prepareStatement(PlanStatements.changesSql(roleNames.size(),
                    segment.destination(), refusals))) {
                int p = 1;
                if (refusals) {
                    ps.setString(p++, segment.id());
                }
                for (String role : roleNames) {
                    ps.setString(p++, roles.column(role));
                }
                ps.setString(p++, segment.datasetId());
                ps.setInt(p++, segment.number());
                ps.setBoolean(p++, segment.deleted());
                ps.setString(p++, segment.datasetId());
                ps.setInt(p, set);
                PlanDecisions.decide(ps, segment.destination(), roles, roleNames, identifierSettings, readdBefore, adds, removes,
                        counts, phases, hasher);
            }
        }
        if (readdDue) {
            ActivationSets.readdPlanned(c, set, readdBefore, now);
        }
        // removes go first; the adds wait for the next sync, and so do the members whose
        // identifiers changed (removed with their old ones now, added with the new ones then):
        // every key of this plan goes back to the queue, to be looked at once the removes are done
        Long jobId;
        String kind;
        int jobs;
        Long addJob = adds.finish();
        Long removeJob = removes.finish();
        phases.done("job written");
        if (removes.count() > 0) {
            jobId = removeJob;
            kind = "remove";
            jobs = removes.jobs().size();
            List<Long> requeued = new ArrayList<>(removes.jobs());
            requeued.addAll(adds.jobs());
            SyncJobs.requeue(c, segment.id(), segment.destination(), requeued, false);
            adds.discard();
        } else {
            jobId = addJob;
            kind = jobId == null ? null : "add";
            jobs = adds.jobs().size();
        }
        phases.done("chosen");
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM activation_queue WHERE id IN (SELECT id FROM plan_queue)");
            st.execute("DROP TABLE plan_queue");
            if (!basis.full()) {
                st.execute("DROP TABLE plan_keys");
            }
        }
        if (segment.deleted()) {
            // nothing of a deleted segment is planned from its queue again
            for (String sql : List.of("DELETE FROM activation_queue WHERE segment_id = ? AND destination = ?",
                    "DELETE FROM activation_basis WHERE segment_id = ? AND destination = ?")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, segment.id());
                    ps.setString(2, segment.destination().apiName());
                    ps.executeUpdate();
                }
            }
            phases.done("queue consumed");
            return new Plan(adds.count() + counts[0], removes.count(), counts[1], jobId, kind, "full", counts[2],
                    (System.nanoTime() - t0) / 1_000_000, phases.toString(), jobs);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO activation_basis (segment_id, activation_version, "
                + "settings, full_at, planned_at, destination) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (segment_id, destination) "
                + "DO UPDATE SET "
                + "activation_version = excluded.activation_version, settings = excluded.settings, "
                + "full_at = CASE WHEN ? THEN excluded.full_at ELSE activation_basis.full_at END, planned_at = excluded.planned_at")) {
            ps.setString(1, segment.id());
            ps.setLong(2, basis.activationVersion());
            ps.setString(3, basis.settings());
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, segment.destination().apiName());
            ps.setBoolean(7, basis.full());
            ps.executeUpdate();
        }
        phases.done("queue consumed");
        return new Plan(adds.count() + counts[0], removes.count(), counts[1], jobId, kind, basis.full() ? "full" : "changes",
                counts[2], (System.nanoTime() - t0) / 1_000_000, phases.toString(), jobs);
    }
}
