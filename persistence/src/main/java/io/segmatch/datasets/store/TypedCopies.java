package io.segmatch.datasets.store;

import io.segmatch.datasets.store.TypedRows.Column;
import io.segmatch.shared.store.BinaryCopy;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Typed rows streamed into a typed table ({@link TypedRows}) by COPY, their values parsed in
 * Java on the way and sent in COPY's binary format ({@link TypedValues#binary}): from stored
 * rows, or from the values a direct load kept on disk.
 */
final class TypedCopies {

    private TypedCopies() {
    }

    /**
     * Reads rows ({@code source} selects {@code row_key, data} with {@code params} bound),
     * parses their values, and copies the typed rows into {@code table} through a temporary
     * file: one connection cannot stream a query and a COPY at once.
     */
    static void fill(Connection c, List<Column> columns, String table, String source, Object... params)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT r.row_key");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(", r.data->>?");
        }
        sql.append(" FROM (").append(source).append(") r");
        Path file = null;
        try {
            file = Files.createTempFile("segmatch-typed-", ".copy");
            long rows = 0;
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
                 PreparedStatement ps = c.prepareStatement(sql.toString())) {
                BinaryCopy.header(out);
                int p = 1;
                for (Column column : columns) {
                    ps.setString(p++, column.name());
                }
                for (Object param : params) {
                    ps.setObject(p++, param);
                }
                ps.setFetchSize(5000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        row(out, rs.getString(1), columns, i -> rs.getString(2 + i));
                        rows++;
                    }
                }
                BinaryCopy.trailer(out);
            }
            if (rows > 0) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                    c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql(table, columns), in, 1 << 16);
                }
            }
        } catch (IOException e) {
            throw new SQLException("writing the typed rows failed: " + e.getMessage(), e);
        } finally {
            delete(file);
        }
    }

    /**
     * Copies the typed rows of a direct load into {@code table} from the values it kept on disk
     * ({@link TypedValues#writeRaw}, in {@code uploadColumns} order).
     */
    static void copyRaw(Connection c, String table, List<Column> columns, List<String> uploadColumns, Path rawFile)
            throws SQLException {
        int[] source = new int[columns.size()];
        for (int i = 0; i < source.length; i++) {
            source[i] = uploadColumns.indexOf(columns.get(i).name());
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(rawFile), 1 << 16));
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new PGCopyOutputStream(
                     c.unwrap(PGConnection.class), copySql(table, columns), 1 << 16), 1 << 16))) {
            BinaryCopy.header(out);
            String[] raw = new String[uploadColumns.size()];
            String key;
            while ((key = TypedValues.readRaw(in, raw)) != null) {
                row(out, key, columns, i -> source[i] < 0 ? null : raw[source[i]]);
            }
            BinaryCopy.trailer(out);
        } catch (IOException e) {
            throw new SQLException("writing the typed rows failed: " + e.getMessage(), e);
        }
    }

    /** A value of a typed column, by its position in the columns. */
    @FunctionalInterface
    private interface Values {
        String get(int column) throws SQLException;
    }

    /** One row in COPY's binary format: the key, then each column's typed value. */
    private static void row(DataOutputStream out, String key, List<Column> columns, Values values)
            throws SQLException, IOException {
        out.writeShort(columns.size() + 1);
        TypedValues.binaryText(out, key);
        for (int i = 0; i < columns.size(); i++) {
            TypedValues.binary(out, columns.get(i).type(), values.get(i));
        }
    }

    private static String copySql(String table, List<Column> columns) {
        StringBuilder copy = new StringBuilder("COPY ").append(table).append(" (row_key");
        columns.forEach(column -> copy.append(", ").append(column.sqlName()));
        return copy.append(") FROM STDIN (FORMAT binary)").toString();
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // left in the temp directory
            }
        }
    }
}
