package io.segmatch.activation.store;

import io.segmatch.activation.identifiers.StoredIdentifiers;
import io.segmatch.shared.store.BinaryCopy;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The people of the jobs of one kind a plan makes, written in batches as they come: a job row
 * is made with its first person, and a job holds at most {@code perJob} people (the next ones
 * go to the next job, numbered from 0 again).
 */
final class JobItems {
    private final Connection c;
    private final long syncRunId;
    private final String segmentId;
    private final Destination destination;
    private final String userList;
    private final String kind;
    private final Instant now;
    private final int perJob;
    private final boolean intoEmptySet;
    private final List<Long> jobs = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final List<String> identifiers = new ArrayList<>();
    private Long jobId;
    private long count;
    /** The people of the current job so far. */
    private int inJob;
    private long nanos;

    /** Time spent writing so far. */
    long nanos() {
        return nanos;
    }

    /** {@code intoEmptySet}: the destination's set of the segment holds nobody (recorded on each job, migration V23). */
    JobItems(Connection c, long syncRunId, String segmentId, Destination destination, String userList, String kind,
          Instant now, int perJob, boolean intoEmptySet) {
        if (perJob < 1) {
            throw new IllegalArgumentException("a job holds at least one person, not " + perJob);
        }
        this.c = c;
        this.syncRunId = syncRunId;
        this.segmentId = segmentId;
        this.destination = destination;
        this.userList = userList;
        this.kind = kind;
        this.now = now;
        this.perJob = perJob;
        this.intoEmptySet = intoEmptySet;
    }

    void add(String key, String ids) throws SQLException {
        if (jobId == null || inJob == perJob) {
            finishJob();
            jobId = insertJob();
            jobs.add(jobId);
            inJob = 0;
        }
        keys.add(key);
        identifiers.add(ids);
        count++;
        inJob++;
        if (keys.size() >= 5000) {
            flush();
        }
    }

    long count() {
        return count;
    }

    /** Writes what is buffered; returns the first job (null if there was nothing to send). */
    Long finish() throws SQLException {
        finishJob();
        return jobs.isEmpty() ? null : jobs.get(0);
    }

    /** Writes what is buffered of the current job, and how many people it carries. */
    private void finishJob() throws SQLException {
        flush();
        if (jobId != null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_job SET people = ? WHERE id = ?")) {
                ps.setInt(1, inJob);
                ps.setLong(2, jobId);
                ps.executeUpdate();
            }
        }
    }

    /** The jobs made, in order. */
    List<Long> jobs() {
        return List.copyOf(jobs);
    }

    /** Drops the jobs and their items (the plan chose the other kind). */
    void discard() throws SQLException {
        keys.clear();
        identifiers.clear();
        if (jobs.isEmpty()) {
            return;
        }
        for (String sql : List.of("DELETE FROM sync_job_item WHERE job_id = ANY(?)", "DELETE FROM sync_job WHERE id = ANY(?)")) {
            SyncJobs.throughJobKey(c, x -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setArray(1, c.createArrayOf("bigint", jobs.toArray()));
                    return ps.executeUpdate();
                }
            });
        }
        jobs.clear();
        jobId = null;
    }

    private long insertJob() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_job (sync_run_id, segment_id, user_list, kind, "
                + "status, created_at, updated_at, destination, into_empty_set, people) VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?, 0) "
                + "RETURNING id")) {
            ps.setLong(1, syncRunId);
            ps.setString(2, segmentId);
            ps.setString(3, userList);
            ps.setString(4, kind);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setString(7, destination.apiName());
            ps.setBoolean(8, intoEmptySet);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void flush() throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        // a binary COPY: no statement to plan, and no text for the database to split and
        // decode (the identifiers as hex took it a tenth of a million-person plan's work)
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(keys.size() * 120);
        DataOutputStream rows = new DataOutputStream(bytes);
        long position = inJob - keys.size();
        try {
            BinaryCopy.header(rows);
            for (int i = 0; i < keys.size(); i++) {
                rows.writeShort(4);
                rows.writeInt(8);
                rows.writeLong(jobId);
                byte[] key = keys.get(i).getBytes(StandardCharsets.UTF_8);
                rows.writeInt(key.length);
                rows.write(key);
                byte[] packed = StoredIdentifiers.pack(identifiers.get(i));
                rows.writeInt(packed.length);
                rows.write(packed);
                rows.writeInt(4);
                rows.writeInt((int) position++);
            }
            BinaryCopy.trailer(rows);
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY sync_job_item (job_id, row_key, identifiers, position) FROM STDIN (FORMAT binary)",
                    new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new SQLException("could not write the people of job " + jobId + ": " + e.getMessage(), e);
        }
        keys.clear();
        identifiers.clear();
        nanos += System.nanoTime() - t0;
    }
}
