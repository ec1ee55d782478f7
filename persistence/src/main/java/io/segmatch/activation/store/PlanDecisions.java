package io.segmatch.activation.store;

import io.segmatch.activation.identifiers.StoredIdentifiers;
import io.segmatch.datasets.entity.Identifiers;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The deciding half of a sync plan ({@link SyncPlans} chooses and runs the statement): reads
 * its rows, hashes each member's identifiers — a batch at a time on an executor while the
 * next batch is read — and decides for each person add, remove, skip or nothing, writing the
 * job's people as it goes.
 */
final class PlanDecisions {

    private PlanDecisions() {
    }

    /** Times the phases of a plan, for its log line. */
    static final class Phases {
        private final StringBuilder text = new StringBuilder();
        private long last = System.nanoTime();

        void done(String phase) {
            long now = System.nanoTime();
            text.append(text.length() == 0 ? "" : ", ").append(phase).append(' ').append((now - last) / 1_000_000).append(" ms");
            last = now;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** A person as the plan statement returns them; {@code values} by role column, null when not a member. */
    private record Row(String key, String acknowledged, Timestamp addedAt, String refused, Map<String, String> values) {
    }

    /** Rows hashed together while the next ones are read. */
    private static final int BATCH = 2000;

    /** Marks a member without a usable identifier among the hashed identifiers. */
    private static final String NONE = new String("none");

    /**
     * Reads a plan statement's rows and decides, for each person, add, remove, skip or nothing.
     * Rows go in batches: while one batch is hashed on {@code hasher}, the next is read (the
     * database works on demand, a fetch at a time; hashing a million emails and phones takes
     * seconds of its own).
     */
    static void decide(PreparedStatement ps, Destination destination, Identifiers roles, List<String> roleNames,
                       IdentifierSettings settings, Instant readdBefore, JobItems adds, JobItems removes,
                       long[] counts, Phases phases, Executor hasher) throws SQLException {
        ps.setFetchSize(5000);
        long[] hashing = {0};
        List<Row> batch = new ArrayList<>(BATCH);
        List<Row> previous = null;
        CompletableFuture<String[]> hashed = null;
        try (ResultSet rs = ps.executeQuery()) {
            phases.done("first rows");
            while (true) {
                boolean more = rs.next();
                if (more) {
                    counts[2]++;
                    Map<String, String> values = null;
                    if (rs.getBoolean(2)) {
                        values = new HashMap<>();
                        for (int i = 0; i < roleNames.size(); i++) {
                            String v = rs.getString(6 + i);
                            if (v != null) {
                                values.put(roles.column(roleNames.get(i)), v);
                            }
                        }
                    }
                    batch.add(new Row(rs.getString(1), StoredIdentifiers.unpack(rs.getBytes(3)), rs.getTimestamp(4),
                            StoredIdentifiers.unpack(rs.getBytes(5)), values));
                    if (batch.size() < BATCH) {
                        continue;
                    }
                }
                // the previous batch's identifiers are ready (or nearly): decide on it, then hash this one
                if (hashed != null) {
                    apply(previous, join(hashed), readdBefore, adds, removes, counts);
                }
                if (batch.isEmpty()) {
                    break;
                }
                List<Row> rows = batch;
                hashed = CompletableFuture.supplyAsync(() -> hash(rows, destination, roles, settings, hashing), hasher);
                previous = rows;
                batch = new ArrayList<>(BATCH);
                if (!more) {
                    apply(previous, join(hashed), readdBefore, adds, removes, counts);
                    break;
                }
            }
        }
        phases.done("read and decided (hashing " + hashing[0] / 1_000_000 + " ms alongside, writing "
                + (adds.nanos() + removes.nanos()) / 1_000_000 + " ms of it)");
    }

    private static String[] hash(List<Row> rows, Destination destination, Identifiers roles, IdentifierSettings settings,
                                 long[] hashing) {
        long t0 = System.nanoTime();
        String[] identifiers = new String[rows.size()];
        for (int i = 0; i < identifiers.length; i++) {
            Map<String, String> values = rows.get(i).values();
            if (values != null) {
                String ids = destination.identifiers(rows.get(i).key(), values, roles, settings);
                identifiers[i] = ids == null ? NONE : ids;
            }
        }
        synchronized (hashing) {
            hashing[0] += System.nanoTime() - t0;
        }
        return identifiers;
    }

    private static String[] join(CompletableFuture<String[]> hashed) throws SQLException {
        try {
            return hashed.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static void apply(List<Row> rows, String[] identifiers, Instant readdBefore, JobItems adds,
                              JobItems removes, long[] counts) throws SQLException {
        for (int i = 0; i < identifiers.length; i++) {
            Row row = rows.get(i);
            String current = identifiers[i];
            if (current == NONE) {
                counts[1]++;
                current = null;
            }
            String acknowledged = row.acknowledged();
            if (acknowledged != null && !acknowledged.equals(current)) {
                removes.add(row.key(), acknowledged);
                if (current != null) {
                    counts[0]++;
                }
            } else if (current != null && acknowledged == null && current.equals(row.refused())) {
                counts[1]++; // the destination refused these identifiers: not sent again until they change
            } else if (current != null && (acknowledged == null || row.addedAt().toInstant().isBefore(readdBefore))) {
                adds.add(row.key(), current);
            }
        }
    }
}
