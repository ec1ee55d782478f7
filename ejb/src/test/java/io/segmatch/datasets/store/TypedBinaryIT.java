package io.segmatch.datasets.store;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whole typed tables are sent in COPY's binary format, their values converted in Java; a row
 * write binds each value's text and lets PostgreSQL read it. Both must store the same values,
 * to the last decimal a number was written with: for random values of every type (numbers with
 * exponents, hundreds of digits, zeros written every way; dates from year 1; timestamps with
 * and without seconds, fractions of up to nine digits, zones; booleans; strings with upper-case
 * letters beyond ASCII, quotes, tabs and backslashes; values that do not conform), the table a
 * direct load copies, the one a rebuild copies from stored rows, and the one filled row by row
 * as a row write fills it print the same text in every cell.
 */
class TypedBinaryIT {

    static DataSource db;

    static final ColumnType[] TYPES = {ColumnType.STRING, ColumnType.NUMBER, ColumnType.NUMBER, ColumnType.DATE,
            ColumnType.TIMESTAMP, ColumnType.BOOLEAN, ColumnType.STRING};

    @BeforeAll
    static void database() {
        db = TestDatabase.newDatabase("typed_binary");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void binaryCopiesStoreWhatPostgresqlReadsFromTheText(long seed) throws Exception {
        Random random = new Random(seed);
        List<String[]> rows = new ArrayList<>();
        for (int n = 0; n < 2000; n++) {
            String[] values = new String[TYPES.length];
            for (int i = 0; i < TYPES.length; i++) {
                values[i] = random.nextInt(12) == 0 ? null : value(random, TYPES[i]);
            }
            rows.add(values);
        }
        assertSameCells(rows);
    }

    /** The edges, each in a row of its own. */
    @Test
    void numbersAtTheirEdges() throws Exception {
        List<String> numbers = List.of("0", "-0", "0.000", "-0.000", "1e5", "15e-4", "100e-1", "1.50E+1", "-1E-999",
                "9".repeat(300) + "e999", "1." + "0".repeat(299) + "1", "0.00001", "-12345678.87654321", "10000",
                "9999.9999", "0.0001", "100000000", "1e0", "0e7", "0.0e-5", "x1", "1,5");
        List<String[]> rows = new ArrayList<>();
        for (String number : numbers) {
            rows.add(new String[]{"n", number, number, null, null, null, null});
        }
        rows.add(new String[]{"İSTANBUL ÄÖÜ ß", null, null, "0001-01-01", "0001-01-01T00:00:00Z", "YES", "\\\t\"'"});
        rows.add(new String[]{null, null, null, "9999-12-31", "9999-12-31 23:59:59.9999995-00:30", "No", ""});
        rows.add(new String[]{null, null, null, "2024-02-30", "2024-02-29T24:00", "maybe", null});
        rows.add(new String[]{null, null, null, "1999-12-31", "1999-12-31T23:59:59.9999999+14:00", "FALSE", null});
        assertSameCells(rows);
    }

    private void assertSameCells(List<String[]> rows) throws Exception {
        List<TypedRows.Column> columns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < TYPES.length; i++) {
            columns.add(new TypedRows.Column(i, "v" + i, TYPES[i]));
            names.add("v" + i);
        }
        Path raw = Files.createTempFile("typed-binary-", ".raw");
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            StringBuilder shape = new StringBuilder("(row_key text COLLATE \"C\" PRIMARY KEY");
            for (TypedRows.Column column : columns) {
                shape.append(", ").append(column.sqlName()).append(' ').append(column.sqlType());
            }
            shape.append(")");
            try (Statement st = c.createStatement()) {
                for (String table : List.of("loaded", "rebuilt", "written")) {
                    st.execute("CREATE TEMPORARY TABLE " + table + " " + shape + " ON COMMIT DROP");
                }
                st.execute("CREATE TEMPORARY TABLE stored (row_key text, data jsonb) ON COMMIT DROP");
            }

            // a direct load: the raw values on disk, copied
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(raw)))) {
                for (int n = 0; n < rows.size(); n++) {
                    TypedValues.writeRaw(out, key(n), rows.get(n));
                }
            }
            TypedCopies.copyRaw(c, "loaded", columns, names, raw);

            // a rebuild: the stored rows read, their values copied
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO stored VALUES (?, ?::jsonb)")) {
                for (int n = 0; n < rows.size(); n++) {
                    ps.setString(1, key(n));
                    ps.setString(2, new JsonText.Layout(names).object(rows.get(n), new StringBuilder()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            TypedCopies.fill(c, columns, "rebuilt", "SELECT row_key, data FROM stored");

            // a row write: each value's text bound, read by PostgreSQL
            StringBuilder insert = new StringBuilder("INSERT INTO written VALUES (?");
            columns.forEach(column -> insert.append(", ?::").append(column.sqlType()));
            try (PreparedStatement ps = c.prepareStatement(insert.append(")").toString())) {
                for (int n = 0; n < rows.size(); n++) {
                    ps.setString(1, key(n));
                    for (int i = 0; i < TYPES.length; i++) {
                        ps.setString(2 + i, TypedValues.text(TYPES[i], rows.get(n)[i]));
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }

            assertEquals(rows.size(), count(c, "SELECT count(*) FROM written"));
            for (String copied : List.of("loaded", "rebuilt")) {
                StringBuilder cells = new StringBuilder("ROW(");
                StringBuilder theirs = new StringBuilder("ROW(");
                for (TypedRows.Column column : columns) {
                    String sep = cells.length() > 4 ? ", " : "";
                    cells.append(sep).append("w.").append(column.sqlName()).append("::text");
                    theirs.append(sep).append("x.").append(column.sqlName()).append("::text");
                }
                String differ = "FROM written w FULL JOIN " + copied + " x USING (row_key) WHERE " + cells + ") IS DISTINCT FROM "
                        + theirs + ")";
                List<String> differing = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT row_key, " + cells + ")::text, " + theirs
                        + ")::text " + differ + " ORDER BY row_key LIMIT 5"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        differing.add(rs.getString(1) + ": written " + rs.getString(2) + ", " + copied + " " + rs.getString(3));
                    }
                }
                assertEquals(List.of(), differing, copied + " against the rows written one by one");
                assertEquals(0, count(c, "SELECT count(*) " + differ));
            }
            c.rollback();
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    private static String key(int n) {
        return String.format(Locale.ROOT, "k%06d", n);
    }

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final String LETTERS = "aZß\u00c4\u00f6\u0130\u03a3'\"\\\t,{} x\u00e9\u4e2d\ud83d\ude00";

    /** A value of the type (now and then one that does not conform to it). */
    static String value(Random random, ColumnType type) {
        if (random.nextInt(20) == 0) {
            return List.of("x", "1.", ".5", "2024-13-01", "yes!", "12:00", "1e1000", "--1", "2024-02-29T10:00+1:00")
                    .get(random.nextInt(9));
        }
        return switch (type) {
            case STRING -> {
                StringBuilder s = new StringBuilder();
                for (int i = random.nextInt(12); i > 0; i--) {
                    s.appendCodePoint(LETTERS.codePointAt(LETTERS.offsetByCodePoints(0,
                            random.nextInt(LETTERS.codePointCount(0, LETTERS.length())))));
                }
                yield s.toString();
            }
            case NUMBER -> number(random);
            case BOOLEAN -> {
                String b = List.of("true", "false", "yes", "no").get(random.nextInt(4));
                yield random.nextBoolean() ? b.toUpperCase(Locale.ROOT) : b;
            }
            case DATE -> date(random);
            case TIMESTAMP -> {
                StringBuilder t = new StringBuilder(date(random)).append(random.nextBoolean() ? 'T' : ' ')
                        .append(String.format(Locale.ROOT, "%02d:%02d", random.nextInt(24), random.nextInt(60)));
                if (random.nextInt(4) > 0) {
                    t.append(String.format(Locale.ROOT, ":%02d", random.nextInt(60)));
                    if (random.nextBoolean()) {
                        t.append('.').append(digits(random, 1 + random.nextInt(9)));
                    }
                }
                switch (random.nextInt(4)) {
                    case 0 -> t.append(random.nextBoolean() ? "Z" : "z");
                    case 1 -> t.append(String.format(Locale.ROOT, "%c%02d:%02d", random.nextBoolean() ? '+' : '-',
                            random.nextInt(16), random.nextInt(60)));
                    default -> { }
                }
                yield t.toString();
            }
        };
    }

    private static String number(Random random) {
        StringBuilder n = new StringBuilder(random.nextBoolean() ? "-" : "");
        int whole = random.nextInt(6) == 0 ? 0 : 1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 12);
        n.append(whole == 0 ? "0" : (1 + random.nextInt(9)) + digits(random, whole - 1));
        if (random.nextBoolean()) {
            n.append('.').append(digits(random, 1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 10)));
        }
        if (random.nextInt(4) == 0) {
            n.append(random.nextBoolean() ? 'e' : 'E').append(List.of("", "+", "-").get(random.nextInt(3)))
                    .append(random.nextInt(random.nextBoolean() ? 10 : 1000));
        }
        return n.toString();
    }

    private static String date(Random random) {
        int year = random.nextInt(5) == 0 ? 1 + random.nextInt(9999) : 1990 + random.nextInt(40);
        int month = 1 + random.nextInt(12);
        int day = 1 + random.nextInt(java.time.YearMonth.of(year, month).lengthOfMonth());
        return String.format(Locale.ROOT, "%04d-%02d-%02d", year, month, day);
    }

    private static String digits(Random random, int count) {
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < count; i++) {
            d.append((char) ('0' + random.nextInt(10)));
        }
        return d.toString();
    }
}
