package io.segmatch.segments;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.segments.entity.Condition;
import io.segmatch.segments.entity.Rule;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared evaluator suite, run by the rule compiled over a dataset's typed table (what
 * whole-dataset previews and rebuilds read): each column takes the type its first condition
 * reads it as, and a rule that reads a column as another type must fall back to the JSON.
 */
class TypedSqlEvaluatorIT extends EvaluatorContract {

    static Connection connection;

    @BeforeAll
    static void database() throws Exception {
        connection = TestDatabase.newDatabase("typed_rules").getConnection();
        connection.setAutoCommit(false);
    }

    @AfterAll
    static void close() throws Exception {
        connection.rollback();
        connection.close();
    }

    @Override
    protected Set<String> matching(Rule rule, Map<String, Map<String, String>> rows, Instant now) throws Exception {
        Map<String, ColumnType> types = new HashMap<>();
        boolean oneTypePerField = true;
        for (Condition c : rule.leaves()) {
            ColumnType before = types.putIfAbsent(c.field(), c.type());
            oneTypePerField &= before == null || before == c.type();
        }
        var typed = SqlEvaluatorIT.SqlEvaluator.typedMatching(connection, rule, rows, now, types);
        if (oneTypePerField) {
            assertTrue(typed.isPresent(), "a rule whose columns all have their types reads the typed table");
            return typed.get();
        }
        assertTrue(typed.isEmpty(), "a column read as another type than it has is read from the JSON");
        return SqlEvaluatorIT.SqlEvaluator.matching(connection, rule, rows, now);
    }
}
