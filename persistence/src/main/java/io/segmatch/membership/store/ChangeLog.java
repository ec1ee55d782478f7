package io.segmatch.membership.store;

import io.segmatch.activation.store.Destination;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The enters and exits of one transaction of a run: written to the enter/exit log and, for
 * activated segments, to the activation queue, in batches of keys per segment and change;
 * counted per segment for the member counts and the runs that changed each segment. Changed
 * rows that stay members of an activated segment are queued as updates (their identifiers
 * may have changed), when the caller evaluates changed rows.
 *
 * <p>Which segments are activated is read in this transaction, under a shared advisory lock
 * ({@link LiveSegments#ACTIVATION_LOCK}) held until it ends: a sync about to make a full plan takes the
 * lock exclusively for a moment, so that no transaction that read the activation settings
 * before they changed is still writing when the plan reads the members (docs/activation.md,
 * "How a plan stays small").
 */
final class ChangeLog {

    private final Connection c;
    private final long runId;
    private final Timestamp at;
    private final boolean queueStays;
    private final Map<String, List<Destination>> activated = new HashMap<>();
    /** Keys per log entry ({@link WriteSizes#logKeys()}). */
    private final int size;
    private final Map<String, List<String>> enters = new LinkedHashMap<>();
    private final Map<String, List<String>> exits = new LinkedHashMap<>();
    private final Map<String, List<String>> stays = new LinkedHashMap<>();
    private final Map<String, long[]> moves = new HashMap<>();
    private long nanos;

    /**
     * @param queueStays whether the rows decided are changed rows, whose staying members of
     *                   activated segments are queued as updates (a rebuild's are not)
     */
    ChangeLog(Connection c, long runId, Timestamp at, boolean queueStays, int size) {
        this.size = size;
        this.c = c;
        this.runId = runId;
        this.at = at;
        this.queueStays = queueStays;
    }

    /** A changed row that was and stays a member. */
    void stay(String segmentId, String key) throws SQLException {
        if (queueStays && !activated(segmentId).isEmpty()) {
            List<String> keys = stays.computeIfAbsent(segmentId, s -> new ArrayList<>());
            keys.add(key);
            if (keys.size() >= size) {
                queueStays(segmentId, keys);
                keys.clear();
            }
        }
    }

    /**
     * The destinations the segment's changes are queued for (none: not activated), read in
     * this transaction under the shared lock.
     */
    private List<Destination> activated(String segmentId) throws SQLException {
        List<Destination> known = activated.get(segmentId);
        if (known != null) {
            return known;
        }
        if (activated.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
                ps.setLong(1, LiveSegments.ACTIVATION_LOCK);
                ps.execute();
            }
        }
        List<Destination> on;
        // a deleted segment's changes are not queued: its sync is a full plan that removes everyone
        try (PreparedStatement ps = c.prepareStatement("SELECT activation_json FROM segment WHERE id = ? AND deleted_at IS NULL")) {
            ps.setString(1, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                on = rs.next() ? Destination.enabledIn(rs.getString(1)) : List.of();
            }
        }
        activated.put(segmentId, on);
        return on;
    }

    void enter(String segmentId, String key) throws SQLException {
        add(enters, segmentId, key, "enter");
        moves.computeIfAbsent(segmentId, s -> new long[2])[0]++;
    }

    void exit(String segmentId, String key) throws SQLException {
        add(exits, segmentId, key, "exit");
        moves.computeIfAbsent(segmentId, s -> new long[2])[1]++;
    }

    private void add(Map<String, List<String>> pending, String segmentId, String key, String change) throws SQLException {
        List<String> keys = pending.computeIfAbsent(segmentId, s -> new ArrayList<>());
        keys.add(key);
        if (keys.size() >= size) {
            write(segmentId, change, keys);
            keys.clear();
        }
    }

    /** Writes what is buffered; call before the transaction commits. */
    void flush() throws SQLException {
        for (var e : enters.entrySet()) {
            write(e.getKey(), "enter", e.getValue());
        }
        for (var e : exits.entrySet()) {
            write(e.getKey(), "exit", e.getValue());
        }
        for (var e : stays.entrySet()) {
            if (!e.getValue().isEmpty()) {
                queueStays(e.getKey(), e.getValue());
            }
        }
        enters.clear();
        exits.clear();
        stays.clear();
    }

    /** Per segment: {entered, exited} so far. */
    Map<String, long[]> moves() {
        return moves;
    }

    long entered() {
        return moves.values().stream().mapToLong(m -> m[0]).sum();
    }

    long exited() {
        return moves.values().stream().mapToLong(m -> m[1]).sum();
    }

    /** Records the per-segment counts: member counts move, and the run is listed on each segment. */
    void count(boolean memberCounts) throws SQLException {
        for (var move : moves.entrySet()) {
            ProcessingRuns.segmentMoved(c, move.getKey(), runId, move.getValue()[0], move.getValue()[1]);
        }
        if (!memberCounts) {
            return;
        }
        List<String> ids = new ArrayList<>();
        List<Long> delta = new ArrayList<>();
        moves.forEach((id, m) -> {
            if (m[0] != m[1]) {
                ids.add(id);
                delta.add(m[0] - m[1]);
            }
        });
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE segment s SET member_count = s.member_count + d.n "
                + "FROM unnest(?::text[], ?::bigint[]) AS d(id, n) WHERE s.id = d.id")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", delta.toArray()));
            ps.executeUpdate();
        }
    }

    /** Time spent writing so far. */
    long nanos() {
        return nanos;
    }

    private void write(String segmentId, String change, List<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            insert(segmentId, change, keys);
        } finally {
            nanos += System.nanoTime() - t0;
        }
    }

    private void insert(String segmentId, String change, List<String> keys) throws SQLException {
        var array = c.createArrayOf("text", keys.toArray());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO membership_change (segment_id, change, at, run_id, "
                + "row_keys) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, segmentId);
            ps.setString(2, change);
            ps.setTimestamp(3, at);
            ps.setLong(4, runId);
            ps.setArray(5, array);
            ps.executeUpdate();
        }
        if (!activated(segmentId).isEmpty()) {
            queue(segmentId, change.equals("enter") ? "add" : "remove", array);
        }
    }

    private void queueStays(String segmentId, List<String> keys) throws SQLException {
        long t0 = System.nanoTime();
        try {
            queue(segmentId, "update", c.createArrayOf("text", keys.toArray()));
        } finally {
            nanos += System.nanoTime() - t0;
        }
    }

    /** Queues the keys once for each destination the segment is activated to. */
    private void queue(String segmentId, String change, Array keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO activation_queue (segment_id, destination, change, "
                + "queued_at, run_id, row_keys) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Destination destination : activated(segmentId)) {
                ps.setString(1, segmentId);
                ps.setString(2, destination.apiName());
                ps.setString(3, change);
                ps.setTimestamp(4, at);
                ps.setLong(5, runId);
                ps.setArray(6, keys);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
