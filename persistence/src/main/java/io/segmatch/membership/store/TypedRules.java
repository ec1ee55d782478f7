package io.segmatch.membership.store;

import io.segmatch.datasets.store.TypedRows;
import io.segmatch.membership.evaluation.SegmentRule;
import io.segmatch.segments.evaluation.RuleSql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Segments' rules compiled over their dataset's typed table (alias {@code t}), in the
 * segments' order: what rebuilds and bulk evaluation read instead of the rows' JSON.
 */
record TypedRules(TypedRows.Table table, List<RuleSql.Predicate> predicates) {

    /**
     * The rules of {@code segments} over the dataset's typed table; empty when there are no
     * segments, the table is not current, or some rule reads a column it lacks.
     */
    static Optional<TypedRules> of(Connection c, String datasetId, List<SegmentRule> segments, Instant now)
            throws SQLException {
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        Optional<TypedRows.Table> table = TypedRows.current(c, datasetId);
        if (table.isEmpty()) {
            return Optional.empty();
        }
        List<RuleSql.Predicate> predicates = new ArrayList<>();
        for (SegmentRule segment : segments) {
            Optional<RuleSql.Predicate> predicate = RuleSql.typed(segment.rule(), now, table.get());
            if (predicate.isEmpty()) {
                return Optional.empty();
            }
            predicates.add(predicate.get());
        }
        return Optional.of(new TypedRules(table.get(), List.copyOf(predicates)));
    }
}
