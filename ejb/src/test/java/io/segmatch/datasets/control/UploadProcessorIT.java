package io.segmatch.datasets.control;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.datasets.entity.Upload.Counts;
import io.segmatch.datasets.store.StoredRow;
import io.segmatch.datasets.store.TypedRows;
import io.segmatch.shared.error.SegmatchException;
import io.segmatch.testing.TestDatabase;
import io.segmatch.testing.TypedTables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import static io.segmatch.datasets.control.UploadProcessor.Mode.REPLACE;
import static io.segmatch.datasets.control.UploadProcessor.Mode.UPSERT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads against a real PostgreSQL: counts, modes, unchanged rows, rejections, change capture. */
class UploadProcessorIT {

    static DataSource db;
    UploadFixture dataset;

    @BeforeAll
    static void database() {
        db = TestDatabase.newDatabase("uploads");
    }

    @BeforeEach
    void newDataset() {
        dataset = new UploadFixture(db);
    }

    @org.junit.jupiter.api.AfterEach
    void noStagingTableOutlivesItsUploadAndTheTypedRowsFollow() throws Exception {
        assertEquals(0, dataset.count("SELECT count(*) FROM pg_class WHERE relname ~ '^upload_(stage|change)_'"));
        if (dataset.schema != null) {
            try (var c = db.getConnection()) {
                TypedTables.assertConsistent(c, dataset.datasetId, TypedRows.of(dataset.schema.columns()));
            }
        }
    }

    static final String FIRST = """
            customer_id,email,country,lifetime_value,zip
            1,ann@example.com,DE,100.50,01234
            2,ben@example.com,FR,7,75001
            3,cy@example.com,US,12,
            2,ben2@example.com,FR,8,75001
            ,nokey@example.com,DE,1,1
            4,dee@example.com,DE,5
            """;

    @Test
    void firstUploadCountsAddUpAndTypesAreInferred() throws Exception {
        var outcome = dataset.upload(FIRST);
        Counts n = outcome.counts();
        assertEquals(new Counts(6, 3, 0, 0, 2, 1, 0), n);
        assertEquals(n.read(), n.inserted() + n.updated() + n.unchanged() + n.rejected() + n.duplicates());
        assertEquals(List.of(new UploadProcessor.RowError(6, "the key column 'customer_id' is empty"),
                new UploadProcessor.RowError(7, "expected 5 fields, found 4")), outcome.errors());
        assertEquals("customer_id", outcome.keyColumn());
        assertEquals(List.of("number", "string", "string", "number", "string"),
                outcome.newColumns().stream().map(c -> c.getType().apiName()).toList());
        assertEquals("ben2@example.com", dataset.values("2").get("email"), "a repeated key replaces the earlier row");
        assertEquals("01234", dataset.values("1").get("zip"), "values are kept as uploaded");
        assertEquals("100.50", dataset.values("1").get("lifetime_value"));
        assertFalse(dataset.values("3").containsKey("zip"), "an empty value is missing");
        assertEquals(List.of(), dataset.pending(), "a dataset made by this upload has no segment to evaluate its rows");
        StoredRow row = dataset.rows().get("1");
        assertEquals(row.createdAt(), row.updatedAt());
    }

    @Test
    void unchangedRowsAreNotTouchedAndOnlyChangesArePending() throws Exception {
        dataset.upload(FIRST);
        Map<String, StoredRow> before = dataset.rows();
        dataset.clearPending();
        // the next upload's writes must come at a later instant than these (timestamps in microseconds)
        Instant written = before.values().stream().map(StoredRow::updatedAt).max(Instant::compareTo).orElseThrow();
        await().atMost(Duration.ofSeconds(1)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> Instant.now().truncatedTo(ChronoUnit.MICROS).isAfter(written));
        var outcome = dataset.upload("""
                customer_id,email,country,lifetime_value,zip
                1,ann@example.com,DE,100.50,01234
                2,ben2@example.com,FR,9,75001
                5,eve@example.com,NL,1,1000
                """);
        assertEquals(new Counts(3, 1, 1, 1, 0, 0, 0), outcome.counts());
        Map<String, StoredRow> after = dataset.rows();
        assertEquals(before.get("1"), after.get("1"), "the unchanged row keeps its values and timestamps");
        assertEquals(before.get("2").createdAt(), after.get("2").createdAt());
        assertTrue(after.get("2").updatedAt().isAfter(before.get("2").updatedAt()));
        assertEquals(before.get("3"), after.get("3"), "upsert leaves rows the upload does not mention");
        assertEquals(List.of("2", "5"), dataset.pending());
    }

    @Test
    void replaceDeletesRowsTheUploadLacksAndCapturesTheDeletions() throws Exception {
        dataset.upload(FIRST);
        dataset.clearPending();
        var outcome = dataset.upload("""
                customer_id,email,country,lifetime_value,zip
                2,ben2@example.com,FR,8,75001
                6,fay@example.com,DE,3,10115
                """, REPLACE, null);
        assertEquals(new Counts(2, 1, 0, 1, 0, 0, 2), outcome.counts());
        assertEquals(List.of("2", "6"), List.copyOf(dataset.rows().keySet()));
        assertEquals(List.of("1", "3", "6"), dataset.pending(), "deleted and inserted rows are pending");
    }

    @Test
    void anUploadWithSomeColumnsSetsThoseAndKeepsTheRest() throws Exception {
        dataset.upload(FIRST);
        var outcome = dataset.upload("""
                CUSTOMER_ID;Country;zip
                1;AT;
                3;US;
                """.replace(';', ','));
        assertEquals(new Counts(2, 0, 1, 1, 0, 0, 0), outcome.counts(), "3 is unchanged after the merge");
        assertEquals(Map.of("customer_id", "1", "email", "ann@example.com", "country", "AT", "lifetime_value", "100.50"),
                dataset.values("1"), "the empty zip cell cleared the zip; columns are matched ignoring case");
        assertEquals("customer_id", outcome.keyColumn(), "the dataset's spelling of a column is kept");
    }

    @Test
    void laterUploadsRejectValuesOfTheWrongTypeAndInferNewColumns() throws Exception {
        dataset.upload(FIRST);
        var outcome = dataset.upload("""
                customer_id,lifetime_value,vip,last_order
                1,lots,yes,2026-01-02
                2,9,no,2026-01-03
                3,10,no,
                """);
        assertEquals(new Counts(3, 0, 2, 0, 1, 0, 0), outcome.counts());
        assertEquals(List.of(new UploadProcessor.RowError(2, "column 'lifetime_value': expected a number, found 'lots'")),
                outcome.errors());
        assertEquals(List.of(new DatasetColumn("vip", ColumnType.BOOLEAN).getType(), ColumnType.DATE),
                outcome.newColumns().stream().map(DatasetColumn::getType).toList(),
                "new columns are inferred from the accepted rows of this upload");
    }

    @Test
    void tooManyRejectionsRefuseTheWholeUpload() throws Exception {
        dataset.upload(FIRST);
        Map<String, StoredRow> before = dataset.rows();
        dataset.clearPending();
        var e = assertThrows(SegmatchException.class, () -> dataset.upload("""
                customer_id,lifetime_value
                1,1000
                2,x
                3,y
                """));
        assertEquals("too-many-rejections", e.type());
        assertEquals(List.of(3L, 4L), e.errors().stream().map(SegmatchException.FieldError::line).toList());
        assertEquals(before, dataset.rows());
        assertEquals(List.of(), dataset.pending());
    }

    @Test
    void theDatasetKeyColumnIsRequiredLater() throws Exception {
        dataset.upload(FIRST);
        var missing = assertThrows(SegmatchException.class, () -> dataset.upload("email,country\na@b.c,DE\n"));
        assertEquals("missing-key-column", missing.type());
        var other = assertThrows(SegmatchException.class,
                () -> dataset.upload("email,customer_id\na@b.c,1\n", UPSERT, "email"));
        assertEquals("key-column-mismatch", other.type());
    }

    @Test
    void aRepeatedKeyInAFirstUploadIsResolvedByTheStagedPath() throws Exception {
        StringBuilder csv = new StringBuilder("id,n\n");
        for (int i = 0; i < 2000; i++) {
            csv.append(i).append(',').append(i).append('\n');
        }
        csv.append("7,last\n");
        var outcome = dataset.upload(csv.toString());
        assertEquals(new Counts(2001, 2000, 0, 0, 0, 1, 0), outcome.counts());
        assertEquals("last", dataset.values("7").get("n"));
        assertEquals(List.of(), dataset.pending(), "the staged path of a new dataset records no changes either");
    }

    @Test
    void aRepeatedKeyInALaterUploadCountsAsADuplicateAndTheLastOneWins() throws Exception {
        dataset.upload(FIRST);
        dataset.clearPending();
        var outcome = dataset.upload("""
                customer_id,email,country,lifetime_value,zip
                1,ann@example.com,DE,100.50,01234
                3,first@example.com,US,12,
                3,cy@example.com,US,12,
                """);
        assertEquals(new Counts(3, 0, 0, 2, 0, 1, 0), outcome.counts(), "the last occurrence of 3 equals the stored row");
        assertEquals(List.of(), dataset.pending());
    }

    @Test
    void replaceWithRepeatedKeysKeepsTheLastAndDeletesTheRest() throws Exception {
        dataset.upload(FIRST);
        var outcome = dataset.upload("customer_id,email\n9,a@x.io\n9,b@x.io\n", REPLACE, null);
        assertEquals(new Counts(2, 1, 0, 0, 0, 1, 3), outcome.counts());
        assertEquals(Map.of("customer_id", "9", "email", "b@x.io"), dataset.values("9"));
        assertEquals(1, dataset.rows().size());
    }

    @Test
    void replaceKeepsTheStoredRowOfARejectedRow() throws Exception {
        dataset.upload(FIRST);
        Map<String, StoredRow> before = dataset.rows();
        var outcome = dataset.upload("""
                customer_id,email,country,lifetime_value,zip
                1,ann@example.com,DE,lots,01234
                2,ben2@example.com,FR,8,75001
                3,cy@example.com,US
                6,fay@example.com,DE,1,10115
                7,gus@example.com,DE,2,10117
                """, REPLACE, null);
        assertEquals(new Counts(5, 2, 0, 1, 2, 0, 0), outcome.counts(),
                "rows 1 and 3 are rejected, not deleted: an upload loses nothing it could not read");
        Map<String, StoredRow> after = dataset.rows();
        assertEquals(List.of("1", "2", "3", "6", "7"), List.copyOf(after.keySet()));
        for (String key : List.of("1", "2", "3")) {
            assertEquals(before.get(key), after.get(key));
        }
    }

    @Test
    void keysLongerThanTheIndexTakesAreRejectedRows() throws Exception {
        String longKey = "k".repeat(1001);
        var outcome = dataset.upload("id,x\n" + longKey + ",1\nshort,2\n");
        assertEquals(new Counts(2, 1, 0, 0, 1, 0, 0), outcome.counts());
        assertEquals("the key is longer than 1000 bytes", outcome.errors().get(0).message());
    }

    @Test
    void valuesSurviveEscapingRoundTrip() throws Exception {
        dataset.upload("id,text\n1,\"tab\tback\\\\slash \"\"quoted\"\" line\nbreak é 😀\"\n");
        assertEquals("tab\tback\\\\slash \"quoted\" line\nbreak é 😀", dataset.values("1").get("text"));
        assertNotEquals(0, dataset.count("SELECT count(*) FROM dataset_row"));
    }
}
