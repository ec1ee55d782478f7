package io.segmatch.membership.store;

import io.segmatch.datasets.store.UploadStage;
import io.segmatch.membership.evaluation.Memberships;
import io.segmatch.shared.store.Jdbc;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Membership by row ({@code row_membership}): the segments a dataset row belongs to, by
 * segment number, and when it entered each. Read a chunk's rows with one probe each; write
 * the rows whose memberships moved, in batches (a run reads them with its claim:
 * {@link ChangeChunks#claim}).
 */
public final class RowMemberships {

    /**
     * The number of a dataset, as its memberships name it ({@code row_membership.dataset}), from
     * its id; a statement's parameter.
     */
    public static final String DATASET = "(SELECT number FROM dataset WHERE id = ?)";

    /**
     * Rewrites memberships of one dataset by key: (keys, segment arrays, since arrays, dataset).
     * Only for rows the transaction read (they exist); planned with hash and merge joins off
     * ({@link Writer}), so each key is one lookup in the key index whatever the statistics say.
     * An update rather than {@code INSERT … ON CONFLICT DO UPDATE}: the conflict clause first
     * looks for the key, then locks the row it found (a record of its own in the write-ahead
     * log), then updates it. Measured on the benchmark's databases (every row of a dataset
     * rewritten, in key order, 5,000 rows a statement): 115.37 and 117.18 s against 80.51 s at
     * ten million rows, 8.73 and 7.75 s against 9.50 and 7.40 s at one million
     * (docs/performance.md).
     */
    public static final String UPDATE_SQL = "UPDATE row_membership m SET segments = d.s::integer[], since = d.t::bigint[] "
            + "FROM unnest(?::text[], ?::text[], ?::text[]) AS d(k, s, t) "
            + "WHERE m.dataset = " + DATASET + " AND m.row_key = d.k";

    /** Deletes memberships of one dataset by key: (dataset, keys). */
    public static final String DELETE_SQL = "DELETE FROM row_membership WHERE dataset = " + DATASET
            + " AND row_key = ANY(?::text[])";

    private RowMemberships() {
    }

    /** The dataset's number ({@link #DATASET}); an error when the dataset is gone. */
    public static int number(Connection c, String datasetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT number FROM dataset WHERE id = ?")) {
            ps.setString(1, datasetId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no dataset " + datasetId + " to write memberships of");
                }
                return rs.getInt(1);
            }
        }
    }

    /**
     * Builds a row's new memberships from its old ones: the caller says, segment by segment
     * (each at most once), whether the row is in it now; the others are kept as they were.
     * Every enter and exit goes to the log.
     */
    public static final class Builder {
        private final Memberships old;
        private final int[] decided;
        private final long[] since;
        private int count;
        private boolean moved;

        public Builder(Memberships old, int capacity) {
            this.old = old;
            this.decided = new int[capacity];
            this.since = new long[capacity];
        }

        /**
         * Whether the row is in the segment now: it stays (keeping its {@code since}), enters
         * (since {@code nowMillis}, logged), leaves (logged) or stays out.
         */
        void decide(int segment, String segmentId, boolean in, String key, ChangeLog log, long nowMillis)
                throws SQLException {
            boolean member = old.has(segment);
            if (in) {
                in(segment, nowMillis);
                if (!member) {
                    log.enter(segmentId, key);
                    moved = true;
                } else {
                    log.stay(segmentId, key);
                }
            } else {
                out(segment);
                if (member) {
                    log.exit(segmentId, key);
                    moved = true;
                }
            }
        }

        /** Whether any decision changed the row's memberships. */
        public boolean moved() {
            return moved;
        }

        private void in(int segment, long nowMillis) {
            decided[count] = segment;
            since[count++] = old.has(segment) ? old.since(segment) : nowMillis;
        }

        private void out(int segment) {
            decided[count] = segment;
            since[count++] = -1;
        }

        public Memberships build() {
            int[] segments = new int[old.segments().length + count];
            long[] times = new long[segments.length];
            int n = 0;
            for (int i = 0; i < old.segments().length; i++) {
                if (!decidedHere(old.segments()[i])) {
                    segments[n] = old.segments()[i];
                    times[n++] = old.since()[i];
                }
            }
            for (int i = 0; i < count; i++) {
                if (since[i] >= 0) {
                    // insertion into the ascending arrays (a row is in a few segments)
                    int j = n++;
                    while (j > 0 && segments[j - 1] > decided[i]) {
                        segments[j] = segments[j - 1];
                        times[j] = times[j - 1];
                        j--;
                    }
                    segments[j] = decided[i];
                    times[j] = since[i];
                }
            }
            return new Memberships(Arrays.copyOf(segments, n), Arrays.copyOf(times, n));
        }

        private boolean decidedHere(int segment) {
            for (int i = 0; i < count; i++) {
                if (decided[i] == segment) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Buffered writes of rows' new memberships in one dataset; an empty one deletes the row's. */
    public static final class Writer {
        private final Connection c;
        private final String datasetId;
        private final List<String> keys = new ArrayList<>();
        private final List<String> segments = new ArrayList<>();
        private final List<String> since = new ArrayList<>();
        private final List<String> deletes = new ArrayList<>();
        private final int batch;
        private final StringBuilder copy = new StringBuilder();
        private final String copyPrefix;
        private int copied;
        private long nanos;
        private long written;

        public Writer(Connection c, String datasetId) throws SQLException {
            this(c, datasetId, WriteSizes.DEFAULT.rows());
        }

        /** {@code batch}: rows per statement ({@link WriteSizes#rows()}). */
        public Writer(Connection c, String datasetId, int batch) throws SQLException {
            this.c = c;
            this.datasetId = datasetId;
            this.batch = batch;
            this.copyPrefix = number(c, datasetId) + "\t";
        }

        /**
         * The row's memberships are now these; {@code fresh}: it had none before (read in
         * this transaction), so they are inserted without a conflict check, by COPY; otherwise
         * its memberships were read in this transaction and are updated ({@link #UPDATE_SQL}).
         */
        public void put(String key, Memberships memberships, boolean fresh) throws SQLException {
            if (memberships.isEmpty()) {
                if (!fresh) {
                    deletes.add(key);
                }
            } else if (fresh) {
                copy.append(copyPrefix);
                UploadStage.escape(copy, key);
                copy.append('\t').append('{');
                for (int i = 0; i < memberships.segments().length; i++) {
                    copy.append(i == 0 ? "" : ",").append(memberships.segments()[i]);
                }
                copy.append("}\t{");
                for (int i = 0; i < memberships.since().length; i++) {
                    copy.append(i == 0 ? "" : ",").append(memberships.since()[i]);
                }
                copy.append("}\n");
                copied++;
            } else {
                keys.add(key);
                segments.add(array(Arrays.stream(memberships.segments()).mapToObj(Integer::toString).toList()));
                since.add(array(Arrays.stream(memberships.since()).mapToObj(Long::toString).toList()));
            }
            if (keys.size() >= batch || deletes.size() >= batch || copied >= batch * 4) {
                flush();
            }
        }

        /** Time spent writing so far. */
        public long nanos() {
            return nanos;
        }

        /** Rows written so far (inserted, updated or deleted). */
        public long written() {
            return written;
        }

        public void flush() throws SQLException {
            long t0 = System.nanoTime();
            try {
                send();
            } finally {
                nanos += System.nanoTime() - t0;
            }
        }

        private void send() throws SQLException {
            written += copied + keys.size() + deletes.size();
            if (copied > 0) {
                try {
                    c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                            "COPY row_membership (dataset, row_key, segments, since) FROM STDIN",
                            new StringReader(copy.toString()));
                } catch (IOException e) {
                    throw new SQLException("could not copy memberships: " + e.getMessage(), e);
                }
                copy.setLength(0);
                copied = 0;
            }
            if (!keys.isEmpty()) {
                int updated = Jdbc.withPlannerOff(c, List.of("hashjoin", "mergejoin"), x -> {
                    try (PreparedStatement ps = x.prepareStatement(UPDATE_SQL)) {
                        ps.setArray(1, texts(keys));
                        ps.setArray(2, texts(segments));
                        ps.setArray(3, texts(since));
                        ps.setString(4, datasetId);
                        return ps.executeUpdate();
                    }
                });
                if (updated != keys.size()) {
                    // another transaction deleted some of them after this one read them (only a run writes
                    // memberships, one per dataset at a time): nothing of this write may stand, and a
                    // removed row is not written back
                    throw new SQLException("memberships of " + (keys.size() - updated) + " of " + keys.size()
                            + " rows of dataset " + datasetId + " were removed while they were rewritten");
                }
                keys.clear();
                segments.clear();
                since.clear();
            }
            if (!deletes.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(DELETE_SQL)) {
                    ps.setString(1, datasetId);
                    ps.setArray(2, texts(deletes));
                    ps.executeUpdate();
                }
                deletes.clear();
            }
        }

        private Array texts(List<String> values) throws SQLException {
            return c.createArrayOf("text", values.toArray());
        }

        private static String array(List<String> elements) {
            return "{" + String.join(",", elements) + "}";
        }
    }
}
