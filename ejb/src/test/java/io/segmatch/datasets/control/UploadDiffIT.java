package io.segmatch.datasets.control;

import io.segmatch.datasets.entity.Upload.Counts;
import io.segmatch.datasets.store.JsonText;
import io.segmatch.datasets.store.StoredRow;
import io.segmatch.datasets.store.TypedRows;
import io.segmatch.datasets.store.UploadStage;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A re-upload whose keys rise from line to line is diffed by walking the staged and the stored
 * rows side by side in key order; one in any other order by hashing. Both must store the same
 * rows and record the same changes, whatever the upload changes, adds, leaves out or clears.
 */
class UploadDiffIT {

    static DataSource db;
    final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    final Logger log = Logger.getLogger(UploadProcessor.class.getName());
    final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            messages.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void database() {
        db = TestDatabase.newDatabase("uploaddiff");
    }

    @BeforeEach
    void listen() {
        log.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(handler);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aReuploadInKeyOrderIsMergedAndAgreesWithTheSameRowsInAnyOrder(long seed) throws Exception {
        Random random = new Random(seed);
        // keys past ASCII too: "é" (U+00E9), "ｚ" (U+FF5A) and an emoji (U+1F600) sort in that
        // order, as their UTF-8 bytes do
        List<String> keys = new ArrayList<>();
        for (String prefix : List.of("K", "é", "\uFF5A", "\uD83D\uDE00")) {
            for (int i = 0; i < 150; i++) {
                keys.add(prefix + String.format("%04d", i));
            }
        }
        Map<String, String> first = new LinkedHashMap<>();
        for (String key : keys) {
            if (random.nextInt(10) > 0) {
                first.put(key, key + "," + key.hashCode() + "@example.com," + (random.nextBoolean() ? "DE" : "FR") + ","
                        + random.nextInt(1000));
            }
        }
        boolean someColumns = random.nextBoolean();
        String header = someColumns ? "customer_id,country" : "customer_id,email,country,score";
        Map<String, String> second = new LinkedHashMap<>();
        int changed = 0;
        int added = 0;
        int same = 0;
        for (String key : keys) {
            String stored = first.get(key);
            int dice = random.nextInt(10);
            if (dice < 2) {
                continue; // left out
            }
            String[] fields = stored == null ? null : stored.split(",", -1);
            String country = stored == null ? "NL" : dice < 5 ? (fields[2].equals("DE") ? "AT" : "") : fields[2];
            if (stored == null) {
                added++;
            } else if (!country.equals(fields[2])) {
                changed++;
            } else if (!someColumns && dice == 9) {
                changed++;
                fields[3] = String.valueOf(1000 + random.nextInt(1000));
            } else {
                same++;
            }
            second.put(key, someColumns ? key + "," + country
                    : key + "," + (fields == null ? key + "@new.example" : fields[1]) + "," + country + ","
                    + (fields == null ? "1" : fields[3]));
        }
        List<String> shuffled = new ArrayList<>(second.values());
        Collections.shuffle(shuffled, random);

        UploadFixture inOrder = new UploadFixture(db);
        UploadFixture anyOrder = new UploadFixture(db);
        String firstCsv = "customer_id,email,country,score\n" + String.join("\n", first.values()) + "\n";
        inOrder.upload(firstCsv);
        anyOrder.upload(firstCsv);
        inOrder.clearPending();
        messages.clear();

        var merged = inOrder.upload(header + "\n" + String.join("\n", second.values()) + "\n");
        var hashed = anyOrder.upload(header + "\n" + String.join("\n", shuffled) + "\n");

        assertEquals(new Counts(second.size(), added, changed, same, 0, 0, 0), merged.counts());
        assertEquals(merged.counts(), hashed.counts());
        assertEquals(values(anyOrder.rows()), values(inOrder.rows()));
        // the typed rows, refreshed in place, are those a build from the stored rows gives
        List<String> typed = typed(inOrder);
        assertEquals(second.size() + first.keySet().stream().filter(k -> !second.containsKey(k)).count(), typed.size());
        assertEquals(rebuilt(inOrder), typed);
        assertEquals(typed, typed(anyOrder));
        List<String> pending = inOrder.pending();
        assertEquals(added + changed, pending.size());
        assertEquals(pending, anyOrder.pending());
        assertEquals(2, messages.size(), messages::toString);
        assertTrue(messages.get(0).contains("(merged)"), messages.get(0));
        assertTrue(messages.get(1).contains("(hashed)"), messages.get(1));
    }

    /** Characters a name or value is made of below: JSON's specials, control characters, letters past ASCII. */
    private static final List<String> CHARACTERS = List.of("a", "Z", "0", "9", " ", "_", "-", "/", "\"", "\\",
            "\b", "\f", "\n", "\r", "\t", "\u0001", "\u001f", "\u007f", "é", "ä", "\uFF5A", "\uD83D\uDE00", "{", "}",
            ":", ",", "[", "]");

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(CHARACTERS.get(random.nextInt(CHARACTERS.size())));
        }
        return text.toString();
    }

    /**
     * A re-upload compares each staged row with its stored row as text, so the rows are staged
     * exactly as PostgreSQL prints their jsonb: for random column names and values, the
     * database's print of the layout's text is that text.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void rowsAreStagedAsTheDatabasePrintsThem(long seed) throws Exception {
        Random random = new Random(seed);
        try (var c = db.getConnection(); var ps = c.prepareStatement("SELECT ?::jsonb::text")) {
            for (int n = 0; n < 300; n++) {
                int size = 1 + random.nextInt(15);
                Set<String> seen = new HashSet<>();
                List<String> names = new ArrayList<>();
                while (names.size() < size) {
                    String name = randomText(random, 1 + random.nextInt(12));
                    if (seen.add(name)) {
                        names.add(name);
                    }
                }
                String[] values = new String[size];
                for (int i = 0; i < size; i++) {
                    values[i] = random.nextInt(5) == 0 ? null : randomText(random, random.nextInt(20));
                }
                String text = new JsonText.Layout(names).object(values, new StringBuilder());
                ps.setString(1, text);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(rs.getString(1), text);
                }
            }
        }
    }

    /**
     * A staged row whose text is not its stored row's print but whose values are the same (keys
     * in another order, no spaces) is compared as jsonb, and left alone; the row whose value
     * changed is written.
     */
    @Test
    void aRowStagedInAnotherSpellingIsComparedByItsValues() throws Exception {
        UploadFixture dataset = new UploadFixture(db);
        dataset.upload("customer_id,email,country\nC1,a@example.com,DE\nC2,b@example.com,DE\n");
        dataset.clearPending();
        List<String> columns = List.of("customer_id", "email", "country");
        UploadStage.Merge merge;
        try (var c = db.getConnection()) {
            c.setAutoCommit(false);
            try (UploadStage stage = UploadStage.open(c, dataset.datasetId, false)) {
                stage.add(2, "C1", "{\"country\":\"DE\",\"email\":\"a@example.com\",\"customer_id\":\"C1\"}",
                        new String[]{"C1", "a@example.com", "DE"});
                stage.add(3, "C2", "{\"country\":\"FR\",\"email\":\"b@example.com\",\"customer_id\":\"C2\"}",
                        new String[]{"C2", "b@example.com", "FR"});
                merge = stage.apply(columns, true, false, false, 2, UploadFixture.now());
                stage.refreshTyped(TypedRows.of(dataset.schema.columns()), columns);
                stage.dropTables();
            }
            c.commit();
        }
        assertEquals(0, merge.inserted());
        assertEquals(1, merge.updated());
        assertEquals(List.of("C2"), dataset.pending());
        assertEquals("FR", dataset.values("C2").get("country"));
        assertEquals(rebuilt(dataset), typed(dataset));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aChangedRowsNewVersionStaysOnItsPage(boolean inKeyOrder) throws Exception {
        UploadFixture dataset = new UploadFixture(db);
        StringBuilder first = new StringBuilder("customer_id,email,country\n");
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String key = String.format("C%05d", i);
            first.append(key).append(',').append(key).append("@example.com,DE\n");
            // every twentieth row changes, to a value of the same length
            second.add(key + "," + key + "@example.com," + (i % 20 == 0 ? "FR" : "DE"));
        }
        dataset.upload(first.toString());
        Map<String, Long> before = pages(dataset);
        Map<String, Long> typedBefore = typedPages(dataset);
        if (!inKeyOrder) {
            Collections.shuffle(second, new Random(3));
        }
        var outcome = dataset.upload("customer_id,email,country\n" + String.join("\n", second) + "\n");
        assertEquals(150, outcome.counts().updated());
        Map<String, Long> after = pages(dataset);
        long moved = before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).count();
        // each page keeps room for a few new versions: none had to go elsewhere
        assertEquals(0, moved, "rows whose new version left their page");
        assertEquals("FR", dataset.values("C00020").get("country"));
        // so with their typed rows, updated in place rather than deleted and written at the end
        Map<String, Long> typedAfter = typedPages(dataset);
        assertEquals(typedBefore.keySet(), typedAfter.keySet());
        long typedMoved = typedBefore.keySet().stream().filter(k -> !typedBefore.get(k).equals(typedAfter.get(k))).count();
        assertEquals(0, typedMoved, "typed rows whose new version left their page");
        assertTrue(typed(dataset).contains("C00020|c00020|c00020@example.com|fr"), "the changed typed value");
        assertEquals(rebuilt(dataset), typed(dataset));
    }

    /** The typed table of the dataset (its name as recorded). */
    private static String typedTable(UploadFixture dataset) throws Exception {
        try (var c = db.getConnection()) {
            return typedTable(c, dataset);
        }
    }

    /** Each typed row's page. */
    private static Map<String, Long> typedPages(UploadFixture dataset) throws Exception {
        Map<String, Long> pages = new TreeMap<>();
        try (var c = db.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT row_key, (ctid::text::point)[0]::bigint FROM " + typedTable(dataset))) {
            while (rs.next()) {
                pages.put(rs.getString(1), rs.getLong(2));
            }
        }
        return pages;
    }

    /** The typed rows, each as its values joined by "|", in key order. */
    private static List<String> typed(UploadFixture dataset) throws Exception {
        try (var c = db.getConnection()) {
            return typed(c, typedTable(dataset));
        }
    }

    private static List<String> typed(java.sql.Connection c, String table) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY row_key")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /** The typed rows a build from the dataset's stored rows gives (built and rolled back). */
    private static List<String> rebuilt(UploadFixture dataset) throws Exception {
        try (var c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                TypedRows.rebuild(c, dataset.datasetId, TypedRows.of(dataset.schema.columns()));
                return typed(c, typedTable(c, dataset));
            } finally {
                c.rollback();
            }
        }
    }

    private static String typedTable(java.sql.Connection c, UploadFixture dataset) throws Exception {
        try (var ps = c.prepareStatement("SELECT table_name FROM dataset_typed WHERE dataset_id = ?")) {
            ps.setString(1, dataset.datasetId);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a typed table");
                return rs.getString(1);
            }
        }
    }

    /** Each row's page (the block of its current version). */
    private static Map<String, Long> pages(UploadFixture dataset) throws Exception {
        Map<String, Long> pages = new TreeMap<>();
        try (var c = db.getConnection(); var ps = c.prepareStatement("SELECT row_key, (ctid::text::point)[0]::bigint "
                + "FROM dataset_row WHERE dataset_id = ?")) {
            ps.setString(1, dataset.datasetId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    pages.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return pages;
    }

    private static Map<String, Map<String, String>> values(Map<String, StoredRow> rows) {
        Map<String, Map<String, String>> values = new TreeMap<>();
        rows.forEach((k, r) -> values.put(k, r.values()));
        return values;
    }
}
