package io.segmatch.testing;

import io.segmatch.datasets.store.RowStore;
import io.segmatch.datasets.store.TypedRows;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks that a dataset's typed table holds exactly its rows, each value parsed as its column's type. */
public final class TypedTables {

    private TypedTables() {
    }

    /** The typed table is current with {@code columns} and equals the rows read through {@code ColumnType.parse}. */
    public static void assertConsistent(Connection c, String datasetId, List<TypedRows.Column> columns) throws SQLException {
        var table = TypedRows.current(c, datasetId, columns);
        assertTrue(table.isPresent(), "dataset " + datasetId + " has a typed table built for its columns");
        Map<String, List<Object>> expected = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT row_key, data::text FROM dataset_row WHERE dataset_id = ?")) {
            ps.setString(1, datasetId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> values = RowStore.parse(rs.getString(2));
                    List<Object> typed = new ArrayList<>();
                    for (TypedRows.Column column : columns) {
                        typed.add(comparable(column.type().parse(values.get(column.name()))));
                    }
                    expected.put(rs.getString(1), typed);
                }
            }
        }
        Map<String, List<Object>> actual = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table.get().name());
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<Object> typed = new ArrayList<>();
                for (TypedRows.Column column : columns) {
                    Object value = switch (column.type()) {
                        case DATE -> rs.getObject("c" + column.position(), LocalDate.class);
                        case TIMESTAMP -> {
                            OffsetDateTime t = rs.getObject("c" + column.position(), OffsetDateTime.class);
                            yield t == null ? null : t.toInstant();
                        }
                        default -> rs.getObject("c" + column.position());
                    };
                    typed.add(comparable(value));
                }
                actual.put(rs.getString("row_key"), typed);
            }
        }
        assertEquals(expected, actual, "the typed rows of dataset " + datasetId);
    }

    /** Numbers compare by value (1.0 equals 1), as SQL compares numerics. */
    private static Object comparable(Object value) {
        return value instanceof BigDecimal n ? (n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString()) : value;
    }
}
