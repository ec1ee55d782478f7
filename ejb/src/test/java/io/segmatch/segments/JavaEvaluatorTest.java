package io.segmatch.segments;

import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.evaluation.RuleEvaluator;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The shared evaluator suite, run by the Java evaluator. */
class JavaEvaluatorTest extends EvaluatorContract {

    @Override
    protected Set<String> matching(Rule rule, Map<String, Map<String, String>> rows, Instant now) {
        RuleEvaluator evaluator = new RuleEvaluator(rule, now);
        return rows.entrySet().stream().filter(e -> evaluator.matches(e.getValue())).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }
}
