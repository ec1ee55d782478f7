package io.segmatch.membership.evaluation;

import io.segmatch.segments.evaluation.RuleEvaluator;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Evaluates a changed row against every live segment of its dataset in one pass (the rules
 * are docs/segments.md's, through {@link RuleEvaluator}); a deleted row matches nothing.
 */
public final class ChangeEvaluator {

    private final Function<String, List<SegmentRule>> segmentsOf;
    private final Map<String, SegmentSet> compiled = new HashMap<>();
    private final Map<String, Set<String>> evaluatedIds = new HashMap<>();
    private final Instant now;
    private final Set<String> activated = new HashSet<>();

    /** {@code segmentsOf} gives a dataset's live segments; it is asked once per dataset. */
    public ChangeEvaluator(Function<String, List<SegmentRule>> segmentsOf, Instant now) {
        this.segmentsOf = segmentsOf;
        this.now = now;
    }

    public EvaluatedRow evaluate(ChangedRow row) {
        SegmentSet segments = compiled.computeIfAbsent(row.datasetId(), this::compile);
        // one shared set of the dataset's segment ids for all its rows
        Set<String> evaluated = evaluatedIds.computeIfAbsent(row.datasetId(),
                d -> Set.copyOf(segments.segments().stream().map(SegmentRule::segmentId).toList()));
        Set<String> matching = new HashSet<>();
        if (!row.deleted()) {
            Object[] parsed = segments.parse(row.values());
            for (int s = 0; s < segments.size(); s++) {
                if (segments.matches(s, parsed)) {
                    matching.add(segments.segments().get(s).segmentId());
                }
            }
        }
        return new EvaluatedRow(row, evaluated, matching);
    }

    /** The segments met so far that are activated. */
    public Set<String> activated() {
        return Collections.unmodifiableSet(activated);
    }

    private SegmentSet compile(String datasetId) {
        List<SegmentRule> segments = segmentsOf.apply(datasetId);
        segments.stream().filter(SegmentRule::activated).forEach(s -> activated.add(s.segmentId()));
        return new SegmentSet(segments, now);
    }
}
