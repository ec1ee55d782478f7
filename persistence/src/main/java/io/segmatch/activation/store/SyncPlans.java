package io.segmatch.activation.store;

import io.segmatch.activation.identifiers.CustomerIdentifiers;
import io.segmatch.datasets.entity.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a segment's sync: the difference between its current members (with their
 * identifiers now) and what Google acknowledged. Members to add: not acknowledged, or
 * acknowledged with other identifiers (their old identifiers are removed first), or last
 * added over 500 days ago (lists forget after 540). Members to remove: acknowledged and no
 * longer members (or the segment was deleted), or left without a usable identifier. People
 * Google refused are not sent again with the same identifiers (counted as skipped). Removes
 * go first: a plan with removes makes a remove job, and the adds wait for the next sync (one
 * job per list at a time). The chosen job and the people it carries are written in the
 * caller's transaction.
 */
public final class SyncPlans {

    /** Members whose last add is older than this are added again. */
    public static final Duration READD_AFTER = Duration.ofDays(500);

    private SyncPlans() {
    }

    /** What a plan found, and the job it made (null: nothing to send). */
    public record Plan(long adds, long removes, long skipped, Long jobId, String kind) {
    }

    /**
     * The plan's statement for a dataset with {@code roles} identifier columns: the segment's
     * members with those columns' values — each member's row looked up by key (LATERAL, LIMIT 1:
     * a plan that does not depend on statistics) — fully joined with what Google acknowledged.
     * Parameters: the role columns, dataset, segment number, deleted, segment id, segment id.
     */
    public static String planSql(int roles) {
        StringBuilder sql = new StringBuilder("WITH cur AS (SELECT rm.row_key");
        for (int i = 0; i < roles; i++) {
            sql.append(", r.data->>? AS v").append(i);
        }
        sql.append(" FROM row_membership rm CROSS JOIN LATERAL (SELECT data FROM dataset_row x "
                + "WHERE x.dataset_id = rm.dataset_id AND x.row_key = rm.row_key LIMIT 1) r "
                + "WHERE rm.dataset_id = ? AND rm.segments @> ARRAY[?::integer] AND NOT ?), "
                + "ack AS (SELECT row_key, identifiers, added_at FROM activation_member WHERE segment_id = ?) "
                + "SELECT coalesce(cur.row_key, ack.row_key), cur.row_key IS NOT NULL, ack.identifiers, ack.added_at, "
                + "(SELECT identifiers FROM activation_rejected x WHERE x.segment_id = ? AND x.row_key = cur.row_key)");
        for (int i = 0; i < roles; i++) {
            sql.append(", cur.v").append(i);
        }
        return sql.append(" FROM cur FULL JOIN ack ON ack.row_key = cur.row_key").toString();
    }

    public static Plan plan(Connection c, long syncRunId, ActivatedSegment segment, String userList, boolean canonicalGmail,
                            Instant now) throws SQLException {
        Identifiers roles = ActivatedSegment.roles(c, segment.datasetId());
        List<String> roleNames = Identifiers.ROLES.stream().filter(r -> roles.column(r) != null).toList();
        String sql = planSql(roleNames.size());
        SyncJobs.Items adds = new SyncJobs.Items(c, syncRunId, segment.id(), userList, "add", now);
        SyncJobs.Items removes = new SyncJobs.Items(c, syncRunId, segment.id(), userList, "remove", now);
        long changed = 0;
        long skipped = 0;
        Instant readdBefore = now.minus(READD_AFTER);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (String role : roleNames) {
                ps.setString(p++, roles.column(role));
            }
            ps.setString(p++, segment.datasetId());
            ps.setInt(p++, segment.number());
            ps.setBoolean(p++, segment.deleted());
            ps.setString(p++, segment.id());
            ps.setString(p, segment.id());
            ps.setFetchSize(5000);
            Map<String, String> values = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    boolean member = rs.getBoolean(2);
                    String acknowledged = rs.getString(3);
                    Timestamp addedAt = rs.getTimestamp(4);
                    String refused = rs.getString(5);
                    String current = null;
                    if (member) {
                        values.clear();
                        for (int i = 0; i < roleNames.size(); i++) {
                            String v = rs.getString(6 + i);
                            if (v != null) {
                                values.put(roles.column(roleNames.get(i)), v);
                            }
                        }
                        CustomerIdentifiers ids = CustomerIdentifiers.of(values, roles, canonicalGmail);
                        if (ids.isEmpty()) {
                            skipped++;
                        } else {
                            current = ids.toJson();
                        }
                    }
                    if (acknowledged != null && !acknowledged.equals(current)) {
                        removes.add(key, acknowledged);
                        if (current != null) {
                            changed++;
                        }
                    } else if (current != null && acknowledged == null && current.equals(refused)) {
                        skipped++; // Google refused these identifiers: not sent again until they change
                    } else if (current != null && (acknowledged == null || addedAt.toInstant().isBefore(readdBefore))) {
                        // while removes wait, adds are only counted (they go in a later job)
                        if (removes.count() == 0) {
                            adds.add(key, current);
                        } else {
                            adds.countOnly();
                        }
                    }
                }
            }
        }
        // removes go first; a member whose identifiers changed is removed with its old ones now
        // and added with the new ones by the next sync
        Long jobId;
        String kind;
        if (removes.count() > 0) {
            adds.discard();
            jobId = removes.finish();
            kind = "remove";
        } else {
            jobId = adds.finish();
            kind = jobId == null ? null : "add";
        }
        return new Plan(adds.count() + changed, removes.count(), skipped, jobId, kind);
    }
}
