package io.segmatch.activation.store;

import io.segmatch.membership.store.RowMemberships;

import java.util.List;

/**
 * The statements of a sync's plan ({@link SyncPlans}): the full plan's read of the members and
 * of what the destination acknowledged and refused, the plan of the queued changes, and the
 * members due to be added again. Each is built for the dataset's identifier columns and the
 * destination; the values are bound by the caller.
 */
public final class PlanStatements {

    private PlanStatements() {
    }

    /**
     * Adds the set's people due to be added again to the plan's keys: (set, added before). Run
     * only when the set's bound says some may be due ({@link ActivationSets#readdDue}): it reads
     * every person of the set, through its key.
     */
    public static final String READD_SQL = "INSERT INTO plan_keys SELECT row_key FROM activation_member "
            + "WHERE set_id = ? AND added_at < ? ON CONFLICT DO NOTHING";

    /**
     * The full plan's statement for a dataset with {@code roles} identifier columns: the
     * segment's members with those columns' values — each member's row looked up by key
     * (LATERAL, LIMIT 1: a plan that does not depend on statistics) — fully joined with what
     * the destination acknowledged, and what it refused. Parameters: the role columns, dataset
     * (its rows), dataset (its memberships), segment number, deleted, the acknowledged set
     * ({@link ActivationSets}), segment id.
     */
    public static String planSql(int roles, Destination destination) {
        return planSql(roles, destination, false);
    }

    /**
     * {@link #planSql(int, Destination)}; {@code joined}: the members' rows are joined to them as
     * sets (merged or hashed, with nested loops turned off by the caller) rather than each looked
     * up by key — for a segment holding a large share of its dataset, whose million lookups cost
     * twice what one pass over both tables does.
     */
    public static String planSql(int roles, Destination destination, boolean joined) {
        return planSql(roles, destination, joined, true);
    }

    /**
     * {@link #planSql(int, Destination, boolean)}; without {@code refusals} (the segment has no
     * refused people at the destination) the refusal column is null and its lookup, and the
     * last parameter, are left out: an empty table's lookup is a sequential scan started once
     * per member (its size asked of the file system each time): a seventh of the database's work
     * in the plan of a segment of every row.
     */
    public static String planSql(int roles, Destination destination, boolean joined, boolean refusals) {
        String d = "'" + destination.apiName() + "'";
        StringBuilder sql = new StringBuilder("WITH cur AS (SELECT rm.row_key");
        for (int i = 0; i < roles; i++) {
            sql.append(", r.data->>? AS v").append(i);
        }
        sql.append(joined ? " FROM row_membership rm JOIN dataset_row r ON r.dataset_id = ? AND r.row_key = rm.row_key "
                : " FROM row_membership rm CROSS JOIN LATERAL (SELECT data FROM dataset_row x "
                + "WHERE x.dataset_id = ? AND x.row_key = rm.row_key LIMIT 1) r ");
        sql.append("WHERE rm.dataset = " + RowMemberships.DATASET + " AND rm.segments @> ARRAY[?::integer] AND NOT ?), "
                + "ack AS (SELECT row_key, identifiers, added_at FROM activation_member WHERE set_id = ?) "
                + "SELECT coalesce(cur.row_key, ack.row_key) AS row_key, cur.row_key IS NOT NULL AS member, ack.identifiers, "
                + "ack.added_at, " + (refusals ? "(SELECT identifiers FROM activation_rejected x WHERE x.segment_id = ? "
                + "AND x.destination = " + d + " AND x.row_key = cur.row_key)" : "NULL::bytea") + " AS refused");
        for (int i = 0; i < roles; i++) {
            sql.append(", cur.v").append(i);
        }
        return sql.append(" FROM cur FULL JOIN ack ON ack.row_key = cur.row_key").toString();
    }

    /**
     * The statement of a plan over the keys in {@code plan_keys}: for each, whether it is a
     * member, what the destination acknowledged and refused, and its identifier columns' values
     * — all looked up by key (LATERAL, LIMIT 1), in key order. The keys come into
     * {@code plan_keys} in the order the queue's arrays and their DISTINCT left them; a hundred
     * thousand scattered keys of a 10M dataset looked up in that order read the tables' pages
     * at random (9.6 s to read and decide them in the 10M benchmark, against 0.2 s for ten
     * thousand at 1M), in key order each table is passed through once. Parameters: segment id
     * (refused), the role columns, dataset, segment number, deleted, dataset, the acknowledged set
     * ({@link ActivationSets}).
     */
    public static String changesSql(int roles, Destination destination) {
        return changesSql(roles, destination, true);
    }

    /**
     * {@link #changesSql(int, Destination)}; without {@code refusals}, no refusal lookup and no
     * first parameter (as {@link #planSql(int, Destination, boolean, boolean)}).
     */
    public static String changesSql(int roles, Destination destination, boolean refusals) {
        String d = "'" + destination.apiName() + "'";
        StringBuilder sql = new StringBuilder("SELECT k.row_key, m.member IS NOT NULL, ack.identifiers, ack.added_at, "
                + (refusals ? "(SELECT identifiers FROM activation_rejected x WHERE x.segment_id = ? AND x.destination = " + d
                + " AND x.row_key = k.row_key)" : "NULL::bytea"));
        for (int i = 0; i < roles; i++) {
            sql.append(", r.data->>?");
        }
        // (a subquery with its own ORDER BY is not merged into the query: the lookups follow its order)
        return sql.append(" FROM (SELECT row_key FROM plan_keys ORDER BY row_key) k "
                + "LEFT JOIN LATERAL (SELECT true AS member FROM row_membership rm "
                + "WHERE rm.dataset = " + RowMemberships.DATASET + " "
                + "AND rm.row_key = k.row_key AND rm.segments @> ARRAY[?::integer] AND NOT ? LIMIT 1) m ON true "
                + "LEFT JOIN LATERAL (SELECT data FROM dataset_row x WHERE x.dataset_id = ? AND x.row_key = k.row_key "
                + "AND m.member LIMIT 1) r ON true "
                + "LEFT JOIN LATERAL (SELECT identifiers, added_at FROM activation_member a WHERE a.set_id = ? "
                + "AND a.row_key = k.row_key LIMIT 1) ack ON true").toString();
    }

    /**
     * The planner's methods off while the joined form of a full plan ({@link #planSql(int,
     * Destination, boolean)}) is planned: without nested loops, hash joins and sorts, the
     * members, their rows and what the destination acknowledged are merged through their key
     * indexes, and come in key order whatever the sizes. A hash join of ten million members
     * overflows its memory, splits both sides into batches written to temporary files and
     * returns them one batch after the other, each from the whole key range: the job's people
     * then got their positions in that order, and the acknowledgement, which records them in
     * position order, inserted them all over the acknowledged set's key index.
     */
    public static final List<String> JOINED_PLAN = List.of("nestloop", "hashjoin", "sort");
}
