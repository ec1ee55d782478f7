package io.segmatch.membership.batch;

import io.segmatch.membership.evaluation.ChangeEvaluator;
import io.segmatch.membership.evaluation.ChangedRow;
import io.segmatch.membership.evaluation.EvaluatedRow;
import io.segmatch.membership.evaluation.SegmentRule;
import io.segmatch.membership.store.LiveSegments;
import io.segmatch.shared.store.Jdbc;
import jakarta.annotation.Resource;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Evaluates each changed row against every live segment of its dataset in one pass (the
 * rules are read once per dataset per step; {@code in_last_days} counts from the step's start).
 */
@Named("rowEvaluator")
@Dependent
public class RowEvaluationProcessor implements ItemProcessor {

    @Inject
    JobContext job;

    @Resource(lookup = "java:global/jdbc/segmatch")
    DataSource dataSource;

    private ChangeEvaluator evaluator;

    @Override
    public Object processItem(Object item) {
        if (evaluator == null) {
            evaluator = new ChangeEvaluator(this::segmentsOf, Instant.now());
        }
        ChangedRow row = (ChangedRow) item;
        long t0 = System.nanoTime();
        EvaluatedRow evaluated = evaluator.evaluate(row);
        RunTally tally = RunTally.of(job);
        tally.evaluateNanos.addAndGet(System.nanoTime() - t0);
        tally.datasets.add(row.datasetId());
        tally.activated.addAll(evaluator.activated());
        return evaluated;
    }

    private List<SegmentRule> segmentsOf(String datasetId) {
        return Jdbc.run(dataSource, c -> LiveSegments.ofDataset(c, datasetId));
    }
}
