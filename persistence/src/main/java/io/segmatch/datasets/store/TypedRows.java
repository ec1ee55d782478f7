package io.segmatch.datasets.store;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.shared.store.Jdbc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Typed storage of a dataset's rows: one table per dataset ({@code dataset_typed_<id>}) with
 * the row key and one column per dataset column ({@code c<position>}) holding the value read
 * as the column's type by {@link ColumnType#parse(String)}: lower-cased text, numeric,
 * boolean, date or timestamptz, null when the value is missing or does not conform. Rules
 * then compare typed columns (see {@code RuleSql}) instead of parsing each row's JSON.
 * <p>
 * Every write of rows calls this store in the write's own transaction, so the typed table
 * always holds exactly the rows of {@code dataset_row}. Table {@code dataset_typed} records the
 * column layout each table was built for; readers use a table only when that layout is the
 * dataset's current one ({@link #current}), and a changed layout (a new column, a type
 * change) is rebuilt by the next write or processing run ({@link #ensure}).
 * Values are parsed in Java while they stream through, never by SQL functions: reading a
 * million timestamps with the schema's {@code segmatch_timestamp} takes seconds.
 */
public final class TypedRows {

    private static final Logger LOG = Logger.getLogger(TypedRows.class.getName());
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

    /** A dataset column as the typed table stores it. */
    public record Column(int position, String name, ColumnType type) {
        String sqlType() {
            return switch (type) {
                case STRING -> "text";
                case NUMBER -> "numeric";
                case BOOLEAN -> "boolean";
                case DATE -> "date";
                case TIMESTAMP -> "timestamptz";
            };
        }

        String sqlName() {
            return "c" + position;
        }
    }

    /** A dataset's typed table that is current with its columns. */
    public record Table(String name, List<Column> columns) {

        /** The SQL column ({@code <alias>.c<n>}) holding {@code field} read as {@code type}, if there is one. */
        public Optional<String> column(String alias, String field, ColumnType type) {
            return columns.stream().filter(c -> c.name().equals(field) && c.type() == type).findFirst()
                    .map(c -> alias + "." + c.sqlName());
        }
    }

    private TypedRows() {
    }

    /** The typed form of an entity's columns (their positions are their indexes). */
    public static List<Column> of(List<DatasetColumn> columns) {
        List<Column> typed = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            typed.add(new Column(i, columns.get(i).getName(), columns.get(i).getType()));
        }
        return typed;
    }

    /** The dataset's columns in position order, as stored. */
    public static List<Column> columns(Connection c, String datasetId) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT position, name, type FROM dataset_column WHERE dataset_id = ? ORDER BY position")) {
            ps.setString(1, datasetId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getInt(1), rs.getString(2),
                            ColumnType.fromApiName(rs.getString(3)).orElseThrow()));
                }
            }
        }
        return columns;
    }

    /** The dataset's typed table, if one exists that was built for its current columns. */
    public static Optional<Table> current(Connection c, String datasetId) throws SQLException {
        return current(c, datasetId, columns(c, datasetId));
    }

    /** The dataset's typed table, if one exists that was built for {@code columns}. */
    public static Optional<Table> current(Connection c, String datasetId, List<Column> columns) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, layout FROM dataset_typed WHERE dataset_id = ?")) {
            ps.setString(1, datasetId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(2).equals(layout(columns))) {
                    return Optional.of(new Table(rs.getString(1), List.copyOf(columns)));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * One row was inserted, replaced or deleted: its typed row follows (the whole table is
     * rebuilt instead when it is not current with {@code columns}). A replaced row's typed row
     * is updated where it lies ({@link #FILLFACTOR}).
     */
    public static void put(Connection c, String datasetId, List<Column> columns, String key) throws SQLException {
        Optional<Table> table = current(c, datasetId, columns);
        if (table.isEmpty()) {
            rebuild(c, datasetId, columns);
            return;
        }
        String name = table.get().name();
        StringBuilder select = new StringBuilder("SELECT true");
        columns.forEach(column -> select.append(", data->>?"));
        select.append(" FROM dataset_row WHERE dataset_id = ? AND row_key = ?");
        String[] typed = new String[columns.size()];
        try (PreparedStatement ps = c.prepareStatement(select.toString())) {
            int p = 1;
            for (Column column : columns) {
                ps.setString(p++, column.name());
            }
            ps.setString(p++, datasetId);
            ps.setString(p, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    Sql.update(c, "DELETE FROM " + name + " WHERE row_key = ?", key);
                    return;
                }
                for (int i = 0; i < typed.length; i++) {
                    typed[i] = TypedValues.text(columns.get(i).type(), rs.getString(2 + i));
                }
            }
        }
        StringBuilder insert = new StringBuilder("INSERT INTO ").append(name).append(" (row_key");
        columns.forEach(column -> insert.append(", ").append(column.sqlName()));
        insert.append(") VALUES (?");
        columns.forEach(column -> insert.append(", ?::").append(column.sqlType()));
        insert.append(") ON CONFLICT (row_key) DO ");
        if (columns.isEmpty()) {
            insert.append("NOTHING");
        } else {
            insert.append("UPDATE SET ").append(assignments(columns, "excluded"));
        }
        Object[] values = new Object[typed.length + 1];
        values[0] = key;
        System.arraycopy(typed, 0, values, 1, typed.length);
        Sql.update(c, insert.toString(), values);
    }

    /** {@code c0 = <from>.c0, c1 = <from>.c1, ...}: every typed column set from {@code from}'s. */
    static String assignments(List<Column> columns, String from) {
        StringBuilder set = new StringBuilder();
        for (Column column : columns) {
            if (!set.isEmpty()) {
                set.append(", ");
            }
            set.append(column.sqlName()).append(" = ").append(from).append('.').append(column.sqlName());
        }
        return set.toString();
    }

    /**
     * The statement that updates {@code table}'s typed rows from the typed rows of the same keys
     * in {@code source} (a table of the same columns), where they lie, and only those whose
     * values differ.
     */
    static String updateFromSql(String table, List<Column> columns, String source) {
        StringBuilder was = new StringBuilder();
        StringBuilder is = new StringBuilder();
        for (Column column : columns) {
            was.append(was.isEmpty() ? "" : ", ").append("t.").append(column.sqlName());
            is.append(is.isEmpty() ? "" : ", ").append("x.").append(column.sqlName());
        }
        // (a row of one value is compared as a row too: ROW() spelled out)
        return "UPDATE " + table + " t SET " + assignments(columns, "x") + " FROM " + source + " x "
                + "WHERE t.row_key = x.row_key AND ROW(" + was + ") IS DISTINCT FROM ROW(" + is + ")";
    }

    /**
     * Makes sure the dataset's typed table is current with its stored columns, rebuilding it
     * if not (an upgrade from a version without typed storage, or a layout a write left
     * behind); returns whether it rebuilt.
     */
    public static boolean ensure(Connection c, String datasetId) throws SQLException {
        List<Column> columns = columns(c, datasetId);
        if (current(c, datasetId, columns).isPresent()) {
            return false;
        }
        rebuild(c, datasetId, columns);
        return true;
    }

    /**
     * {@link #ensure} with the dataset locked first, as every write of its rows locks it: the
     * rows read are then the latest committed ones. Nothing when the dataset is gone.
     */
    public static boolean ensureLocked(Connection c, String datasetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM dataset WHERE id = ? FOR UPDATE")) {
            ps.setString(1, datasetId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
        }
        return ensure(c, datasetId);
    }

    /** Datasets whose typed table is missing or was built for other columns. */
    public static List<String> stale(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT d.id FROM dataset d LEFT JOIN dataset_typed t "
                + "ON t.dataset_id = d.id WHERE t.layout IS DISTINCT FROM (SELECT coalesce(string_agg(position || ':' "
                + "|| type || ':' || name, E'\\n' ORDER BY position), '') FROM dataset_column WHERE dataset_id = d.id) "
                + "ORDER BY d.id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Builds the dataset's typed table from all its rows, replacing the one it had. */
    public static void rebuild(Connection c, String datasetId, List<Column> columns) throws SQLException {
        String name = tableName(datasetId);
        create(c, name, columns);
        TypedCopies.fill(c, columns, name, "SELECT row_key, data FROM dataset_row WHERE dataset_id = ?", datasetId);
        finish(c, datasetId, name, columns);
    }

    /**
     * Each page of a typed table keeps a tenth of its space free: a changed row's typed row is
     * updated in place, its new version on the same page (a heap-only update: the key index
     * keeps its one entry), so the table stays in key order and its index compact for the
     * membership run's lookups of the changed rows. Deleted and written again at the end, a
     * tenth of the rows changed left every page with a dead version and the key index with an
     * entry more for each (docs/performance.md).
     */
    static final int FILLFACTOR = 90;

    /** (Re)creates an empty typed table, without its key index (added after the load, by {@link #finish}). */
    private static void create(Connection c, String name, List<Column> columns) throws SQLException {
        Sql.update(c, "DROP TABLE IF EXISTS " + name);
        StringBuilder create = new StringBuilder("CREATE TABLE ").append(name).append(" (row_key " + Jdbc.ROW_KEY_TYPE + " NOT NULL");
        for (Column column : columns) {
            create.append(", ").append(column.sqlName()).append(' ').append(column.sqlType());
        }
        Sql.update(c, create.append(") WITH (fillfactor = " + FILLFACTOR + ")").toString());
    }

    /** After a table's load: its key index (one sort rather than a million insertions), statistics, its layout. */
    private static void finish(Connection c, String datasetId, String name, List<Column> columns) throws SQLException {
        Sql.update(c, "ALTER TABLE " + name + " ADD PRIMARY KEY (row_key)");
        Sql.update(c, "ANALYZE " + name);
        Sql.update(c, "INSERT INTO dataset_typed (dataset_id, table_name, layout, built_at) VALUES (?, ?, ?, now()) "
                + "ON CONFLICT (dataset_id) DO UPDATE SET table_name = excluded.table_name, layout = excluded.layout, "
                + "built_at = excluded.built_at", datasetId, name, layout(columns));
    }

    /** Removes the dataset's typed table (the dataset is being deleted). */
    public static void drop(Connection c, String datasetId) throws SQLException {
        Sql.update(c, "DROP TABLE IF EXISTS " + tableName(datasetId));
        Sql.update(c, "DELETE FROM dataset_typed WHERE dataset_id = ?", datasetId);
    }

    /** The layout text recorded for a table built for {@code columns}. */
    static String layout(List<Column> columns) {
        StringBuilder out = new StringBuilder();
        for (Column column : columns) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(column.position()).append(':').append(column.type().apiName()).append(':').append(column.name());
        }
        return out.toString();
    }

    /**
     * The typed table's name, made of the dataset id: its hex digits when it is a UUID (as
     * the server generates them), else those of its SHA-256. Never the id's text itself.
     */
    static String tableName(String datasetId) {
        if (UUID.matcher(datasetId).matches()) {
            return "dataset_typed_" + datasetId.replace("-", "").toLowerCase(Locale.ROOT);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(datasetId.getBytes(StandardCharsets.UTF_8));
            return "dataset_typed_x" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the typed rows of a direct load (rows into a dataset that had none) from the
     * values it kept on disk ({@link TypedValues#writeRaw}, in {@code uploadColumns} order): into the
     * table if it is current with {@code columns} (an emptied dataset's), else into a new one.
     */
    public static void load(Connection c, String datasetId, List<Column> columns, List<String> uploadColumns,
                            Path rawFile) throws SQLException {
        Optional<Table> current = current(c, datasetId, columns);
        String name = current.map(Table::name).orElse(tableName(datasetId));
        if (current.isEmpty()) {
            create(c, name, columns);
        }
        long t0 = System.nanoTime();
        TypedCopies.copyRaw(c, name, columns, uploadColumns, rawFile);
        long t1 = System.nanoTime();
        if (current.isEmpty()) {
            finish(c, datasetId, name, columns);
        }
        LOG.info(String.format(Locale.ROOT, "typed rows of dataset %s loaded: copied in %.2f s, key index and "
                + "statistics in %.2f s", datasetId, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9));
    }
}
