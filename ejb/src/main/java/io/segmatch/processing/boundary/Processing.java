package io.segmatch.processing.boundary;

import io.segmatch.datasets.store.PendingChanges;
import io.segmatch.membership.store.ProcessingRuns.Run;
import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.processing.control.RunStarter;
import io.segmatch.shared.error.SegmatchException;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import io.segmatch.shared.store.Transactions;
import jakarta.annotation.Resource;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Incremental processing: how much captured change awaits evaluation, the runs (with their
 * batch steps' metrics), and starting a run on demand.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class Processing {

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @EJB
    RunStarter starter;

    /** The state {@code GET /api/processing} reports. */
    public record State(long pendingChanges, boolean running, Run lastRun) {
    }

    /** A batch step of a run's job, with its metrics (read, write, commit, rollback counts, …). */
    public record Step(String name, String status, Map<String, Long> metrics) {
    }

    public long pendingChanges() {
        return query(PendingChanges::count);
    }

    public State state() {
        return query(c -> {
            Optional<Run> last = ProcessingRuns.last(c);
            return new State(PendingChanges.count(c), ProcessingRuns.running(c).isPresent(), last.orElse(null));
        });
    }

    public List<Run> runs(int limit) {
        return query(c -> ProcessingRuns.recent(c, limit));
    }

    public Run run(long id) {
        return query(c -> ProcessingRuns.find(c, id))
                .orElseThrow(() -> SegmatchException.notFound("run-not-found", "no processing run with id " + id));
    }

    /** The steps of a run's batch job execution(s), as the batch runtime reports them. */
    public List<Step> steps(Run run) {
        List<Step> steps = new ArrayList<>();
        if (run.executionId() == null) {
            return steps;
        }
        try {
            // in the order they ran (step execution ids are given as steps start): the batch
            // runtime returns them in no particular order
            List<StepExecution> executions = new ArrayList<>(BatchRuntime.getJobOperator().getStepExecutions(run.executionId()));
            executions.sort(Comparator.comparingLong(StepExecution::getStepExecutionId));
            for (StepExecution s : executions) {
                Map<String, Long> metrics = new LinkedHashMap<>();
                for (Metric m : s.getMetrics()) {
                    metrics.put(m.getType().name().toLowerCase(Locale.ROOT), m.getValue());
                }
                steps.add(new Step(s.getStepName(), s.getBatchStatus().name().toLowerCase(Locale.ROOT), metrics));
            }
        } catch (RuntimeException e) {
            // the execution ran on another instance, or its history was purged: the run's own counts remain
        }
        return steps;
    }

    /** Starts a run now, or answers with the one already running. */
    public ProcessingRuns.Claim start() {
        return starter.start("requested through the API");
    }

    private <T> T query(Transactions.Work<T> work) {
        return Jdbc.run(dataSource, work);
    }
}
