package io.segmatch.datasets.control;

import io.segmatch.datasets.store.PendingChanges;
import io.segmatch.datasets.store.RowStore;
import io.segmatch.datasets.store.StoredRow;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Change capture and atomicity under concurrency and failure, against a real PostgreSQL. */
class ChangeCaptureIT {

    static DataSource db;

    @BeforeAll
    static void database() {
        db = TestDatabase.newDatabase("capture");
    }

    @BeforeEach
    void empty() throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM pending_change");
            st.execute("DELETE FROM dataset_row");
        }
    }

    static String csv(int from, int to, String suffix) {
        StringBuilder b = new StringBuilder("id,email,score\n");
        for (int i = from; i < to; i++) {
            b.append(i).append(",user").append(i).append(suffix).append("@example.com,").append(i % 100).append('\n');
        }
        return b.toString();
    }

    /**
     * A dataset with one row and no pending change: its uploads capture their changes (a
     * dataset's first upload records none, no segment being able to refer to it yet).
     */
    static UploadFixture existing() throws Exception {
        UploadFixture dataset = new UploadFixture(db);
        dataset.upload("id,email,score\nseed,seed@example.com,1\n");
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("DELETE FROM pending_change WHERE dataset_id = ?")) {
            ps.setString(1, dataset.datasetId);
            ps.executeUpdate();
        }
        return dataset;
    }

    /** What a consumer that reads everything pending and consumes it would claim. */
    static List<PendingChanges.Entry> claimAll() throws Exception {
        try (Connection c = db.getConnection()) {
            var entries = PendingChanges.inKeyOrder(c, Integer.MAX_VALUE);
            assertEquals(entries.size(), PendingChanges.consume(c, entries));
            return entries;
        }
    }

    @Test
    void aLateCommittingUploadIsCapturedExactlyOnce() throws Exception {
        UploadFixture longUpload = existing();
        UploadFixture shortUpload = existing();
        List<PendingChanges.Entry> first;
        try (Connection late = db.getConnection(); SpooledUpload file = SpooledUpload.of(
                csv(0, 500, "").getBytes(StandardCharsets.UTF_8))) {
            late.setAutoCommit(false);
            // the long upload writes its rows and changes first, but has not committed yet
            UploadProcessor.apply(late, longUpload.datasetId, longUpload.schema, file,
                    new UploadProcessor.Options(null, UploadProcessor.Mode.UPSERT, null, null, 0.5));

            shortUpload.upload(csv(0, 10, "s"));
            first = claimAll();
            assertEquals(10, first.size(), "only committed changes are visible");
            assertTrue(first.stream().allMatch(e -> e.datasetId().equals(shortUpload.datasetId)));

            late.commit();
        }
        List<PendingChanges.Entry> second = claimAll();
        assertEquals(500, second.size(), "the late commit's changes are found after the short one was consumed");
        assertTrue(second.stream().allMatch(e -> e.datasetId().equals(longUpload.datasetId)));
        assertTrue(second.get(0).seq() < first.get(0).seq(),
                "a watermark on the sequence (or on updated_at) would have skipped the late commit");
        assertEquals(List.of(), claimAll(), "nothing is claimed twice");
    }

    @Test
    void aRowChangedAgainAfterItWasReadStaysPending() throws Exception {
        UploadFixture dataset = existing();
        dataset.upload(csv(0, 3, ""));
        RowStore rows = new RowStore();
        try (Connection c = db.getConnection()) {
            var read = PendingChanges.inKeyOrder(c, 10);
            assertEquals(3, read.size());
            assertTrue(rows.update(c, dataset.datasetId, "1", Map.of("id", "1", "email", "new@example.com"), Instant.now()));
            assertEquals(2, PendingChanges.consume(c, read), "the entry of the row changed since is kept");
            var left = PendingChanges.inKeyOrder(c, 10);
            assertEquals(List.of("1"), left.stream().map(PendingChanges.Entry::rowKey).toList());
            assertTrue(left.get(0).seq() > read.get(0).seq());
        }
    }

    @Test
    void rowWritesRecordTheirChangesAndUnchangedWritesDoNot() throws Exception {
        String ds = "row-writes";
        RowStore rows = new RowStore();
        try (Connection c = db.getConnection()) {
            rows.insert(c, ds, "k", Map.of("id", "k", "a", "1"), Instant.now());
            assertEquals(1, claimAll().size());
            assertFalse(rows.update(c, ds, "k", Map.of("a", "1", "id", "k"), Instant.now()), "same values: no write");
            assertEquals(List.of(), claimAll());
            assertTrue(rows.update(c, ds, "k", Map.of("id", "k", "a", "2"), Instant.now()));
            assertEquals(1, claimAll().size());
            assertTrue(rows.delete(c, ds, "k", Instant.now()));
            assertEquals(List.of("k"), claimAll().stream().map(PendingChanges.Entry::rowKey).toList());
            assertFalse(rows.delete(c, ds, "k", Instant.now()));
            assertEquals(List.of(), claimAll());
        }
    }

    @Test
    void anUploadWhoseDatabaseConnectionDiesMidwayLeavesTheDatasetAsItWas() throws Exception {
        UploadFixture dataset = new UploadFixture(db);
        dataset.upload(csv(0, 1000, ""));
        claimAll();
        Map<String, StoredRow> before = dataset.rows();

        killDuringCopy(dataset, "COPY upload\\_stage%", csv(0, 400_000, "v2"));

        assertEquals(before, dataset.rows(), "not one row changed");
        assertEquals(List.of(), claimAll(), "no change was captured");
        assertEquals(0, dataset.count("SELECT count(*) FROM pg_class WHERE relname ~ '^upload_(stage|change)_'"),
                "the staging tables went with the transaction");
    }

    @Test
    void aFirstUploadWhoseConnectionDiesMidwayLeavesNoRows() throws Exception {
        UploadFixture dataset = new UploadFixture(db);
        killDuringCopy(dataset, "COPY dataset\\_row%", csv(0, 400_000, ""));
        assertEquals(Map.of(), dataset.rows());
        assertEquals(List.of(), claimAll());
    }

    /** Runs an upload and terminates its database backend while its COPY is running. */
    private static void killDuringCopy(UploadFixture dataset, String copyQuery, String csv) throws Exception {
        CompletableFuture<Object> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return dataset.upload(csv);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        AtomicBoolean killed = new AtomicBoolean();
        try (Connection c = db.getConnection()) {
            // polls every 5 ms (for at most 30 s) until the COPY is caught running and ended, or the upload is over
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> {
                        try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                + "WHERE datname = current_database() AND query LIKE ? AND state = 'active'")) {
                            ps.setString(1, copyQuery);
                            try (ResultSet rs = ps.executeQuery()) {
                                killed.set(rs.next() && rs.getBoolean(1));
                            }
                        }
                        return killed.get() || upload.isDone();
                    });
        }
        assertTrue(killed.get(), "the COPY was caught running");
        var failure = assertThrows(ExecutionException.class, () -> upload.get(60, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof SQLException
                || failure.getCause() instanceof IOException, String.valueOf(failure.getCause()));
    }

    @Test
    void manyConcurrentUploadsEachCaptureEveryChangeOnce() throws Exception {
        List<UploadFixture> datasets = new ArrayList<>();
        List<CompletableFuture<?>> uploads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UploadFixture d = existing();
            datasets.add(d);
            int n = 200 * (i + 1);
            uploads.add(CompletableFuture.runAsync(() -> {
                try {
                    d.upload(csv(0, n, ""));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }));
        }
        Map<String, Integer> claimed = new HashMap<>();
        while (!uploads.stream().allMatch(CompletableFuture::isDone)) {
            claimAll().forEach(e -> claimed.merge(e.datasetId() + "/" + e.rowKey(), 1, Integer::sum));
        }
        for (var u : uploads) {
            u.get();
        }
        claimAll().forEach(e -> claimed.merge(e.datasetId() + "/" + e.rowKey(), 1, Integer::sum));
        assertEquals(200 + 400 + 600 + 800, claimed.size());
        assertTrue(claimed.values().stream().allMatch(n -> n == 1), "every change claimed exactly once");
    }
}
