package io.segmatch.segments;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.store.JsonText;
import io.segmatch.datasets.store.TypedRows;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.evaluation.RuleSql;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.Set;
import java.util.UUID;

/** The shared evaluator suite, run by the rule compiled to SQL against a real PostgreSQL. */
class SqlEvaluatorIT extends EvaluatorContract {

    static DataSource db;
    static Connection connection;

    @BeforeAll
    static void database() throws Exception {
        db = TestDatabase.newDatabase("rules");
        connection = db.getConnection();
        connection.setAutoCommit(false);
    }

    @AfterAll
    static void close() throws Exception {
        connection.rollback();
        connection.close();
    }

    @Override
    protected Set<String> matching(Rule rule, Map<String, Map<String, String>> rows, Instant now) throws Exception {
        return SqlEvaluator.matching(connection, rule, rows, now);
    }

    /** Inserts the rows under a fresh dataset id and selects the keys the compiled predicate matches. */
    static final class SqlEvaluator {
        static void insertRows(Connection c, String datasetId, Map<String, Map<String, String>> rows) throws Exception {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO dataset_row (dataset_id, row_key, data) "
                    + "VALUES (?, ?, ?::jsonb)")) {
                for (var row : rows.entrySet()) {
                    insert.setString(1, datasetId);
                    insert.setString(2, row.getKey());
                    insert.setString(3, JsonText.object(row.getValue()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }

        static Set<String> matching(Connection c, Rule rule, Map<String, Map<String, String>> rows, Instant now)
                throws Exception {
            String datasetId = UUID.randomUUID().toString();
            insertRows(c, datasetId, rows);
            RuleSql.Predicate where = RuleSql.where(rule, now);
            Set<String> keys = new HashSet<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT r.row_key FROM dataset_row r WHERE r.dataset_id = ? AND " + where.sql())) {
                select.setString(1, datasetId);
                where.bind(c, select, 2);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            return keys;
        }

        /**
         * The same rows stored as a dataset with columns of the given types (fields absent from
         * {@code types} are strings) and its typed table built, then selected by the rule over
         * that table; empty when the rule reads a column with another type than the table's
         * (the server reads the rows' JSON then).
         */
        static Optional<Set<String>> typedMatching(Connection c, Rule rule, Map<String, Map<String, String>> rows,
                                                   Instant now, Map<String, ColumnType> types) throws Exception {
            String datasetId = UUID.randomUUID().toString();
            Set<String> fields = new TreeSet<>(types.keySet());
            rows.values().forEach(row -> fields.addAll(row.keySet()));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset (id, name, key_column, created_at, "
                    + "updated_at) VALUES (?, 'typed', 'id', now(), now())")) {
                ps.setString(1, datasetId);
                ps.executeUpdate();
            }
            int position = 0;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_column VALUES (?, ?, ?, ?)")) {
                for (String field : fields) {
                    ps.setString(1, datasetId);
                    ps.setInt(2, position++);
                    ps.setString(3, field);
                    ps.setString(4, types.getOrDefault(field, ColumnType.STRING).apiName());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            insertRows(c, datasetId, rows);
            TypedRows.ensure(c, datasetId);
            TypedRows.Table table = TypedRows.current(c, datasetId).orElseThrow();
            Optional<RuleSql.Predicate> where = RuleSql.typed(rule, now, table);
            if (where.isEmpty()) {
                return Optional.empty();
            }
            Set<String> keys = new HashSet<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT t.row_key FROM " + table.name() + " t WHERE " + where.get().sql())) {
                where.get().bind(c, select, 1);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            return Optional.of(keys);
        }
    }
}
