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
 * The items of a job being planned, written in batches as they come; the job row is made
 * with the first item.
 */
final class JobItems {
    private final Connection c;
    private final long syncRunId;
    private final String segmentId;
    private final Destination destination;
    private final String userList;
    private final String kind;
    private final Instant now;
    private final List<String> keys = new ArrayList<>();
    private final List<String> identifiers = new ArrayList<>();
    private Long jobId;
    private long count;
    private long nanos;

    /** Time spent writing so far. */
    long nanos() {
        return nanos;
    }

    JobItems(Connection c, long syncRunId, String segmentId, Destination destination, String userList, String kind,
          Instant now) {
        this.c = c;
        this.syncRunId = syncRunId;
        this.segmentId = segmentId;
        this.destination = destination;
        this.userList = userList;
        this.kind = kind;
        this.now = now;
    }

    void add(String key, String ids) throws SQLException {
        if (jobId == null) {
            jobId = insertJob();
        }
        keys.add(key);
        identifiers.add(ids);
        count++;
        if (keys.size() >= 5000) {
            flush();
        }
    }

    long count() {
        return count;
    }

    /** Writes what is buffered; returns the job (null if there was nothing to send). */
    Long finish() throws SQLException {
        flush();
        return jobId;
    }

    /** Drops the job and its items (the plan chose the other kind). */
    void discard() throws SQLException {
        keys.clear();
        identifiers.clear();
        if (jobId != null) {
            for (String sql : List.of("DELETE FROM sync_job_item WHERE job_id = ?", "DELETE FROM sync_job WHERE id = ?")) {
                SyncJobs.throughJobKey(c, x -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setLong(1, jobId);
                        return ps.executeUpdate();
                    }
                });
            }
            jobId = null;
        }
    }

    private long insertJob() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_job (sync_run_id, segment_id, user_list, kind, "
                + "status, created_at, updated_at, destination) VALUES (?, ?, ?, ?, 'new', ?, ?, ?) RETURNING id")) {
            ps.setLong(1, syncRunId);
            ps.setString(2, segmentId);
            ps.setString(3, userList);
            ps.setString(4, kind);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setString(7, destination.apiName());
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
        long position = count - keys.size();
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
