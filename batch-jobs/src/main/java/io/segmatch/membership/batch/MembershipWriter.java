package io.segmatch.membership.batch;

import io.segmatch.membership.evaluation.EvaluatedRow;
import io.segmatch.membership.store.ChangeChunks;
import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.shared.store.Jdbc;
import jakarta.annotation.Resource;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Applies a chunk in its transaction: enters and exits, the log, the activation queue, the
 * member counts, the consumed changes and the run's progress (its heartbeat).
 */
@Named("membershipWriter")
@Dependent
public class MembershipWriter extends AbstractItemWriter {

    @Inject
    JobContext job;

    @Resource(lookup = "java:global/jdbc/segmatch")
    DataSource dataSource;

    @Override
    public void writeItems(List<Object> items) throws Exception {
        RunTally tally = RunTally.of(job);
        List<EvaluatedRow> rows = items.stream().map(EvaluatedRow.class::cast).toList();
        long t0 = System.nanoTime();
        Jdbc.run(dataSource, c -> {
            var applied = ChangeChunks.apply(c, tally.runId, rows, tally.activated, Instant.now());
            ProcessingRuns.progress(c, tally.runId, applied.rows(), 0, applied.entered(), applied.exited());
            return null;
        });
        tally.writeNanos.addAndGet(System.nanoTime() - t0);
    }
}
