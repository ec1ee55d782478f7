package io.segmatch.processing.api;

import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.processing.boundary.Processing;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Processing's answers, bound to JSON with JSON-B: each record fixes its fields' order; a run's
 * {@code endedAt} is written as {@code null} while it runs, its {@code error} only when it has one.
 */
final class ProcessingViews {

    private ProcessingViews() {
    }

    @JsonbPropertyOrder({"pendingChanges", "running", "lastRun"})
    public record State(long pendingChanges, boolean running, @JsonbNillable Run lastRun) {
        static State of(Processing.State s) {
            return new State(s.pendingChanges(), s.running(), s.lastRun() == null ? null : Run.of(s.lastRun()));
        }
    }

    @JsonbPropertyOrder({"id", "status", "started"})
    public record Started(long id, String status, boolean started) {
    }

    @JsonbPropertyOrder({"id", "status", "reason", "startedAt", "endedAt", "rowsEvaluated", "segmentsEvaluated",
            "entered", "exited", "error"})
    public record Run(long id, String status, String reason, Instant startedAt, @JsonbNillable Instant endedAt,
                      long rowsEvaluated, long segmentsEvaluated, long entered, long exited, String error) {
        static Run of(ProcessingRuns.Run r) {
            return new Run(r.id(), r.status().apiName(), r.reason(), r.startedAt(), r.endedAt(), r.rowsEvaluated(),
                    r.segmentsEvaluated(), r.entered(), r.exited(), r.error());
        }
    }

    /** One run with its batch job's steps (when this server ran it). */
    @JsonbPropertyOrder({"id", "status", "reason", "startedAt", "endedAt", "rowsEvaluated", "segmentsEvaluated",
            "entered", "exited", "error", "steps"})
    public record RunWithSteps(long id, String status, String reason, Instant startedAt, @JsonbNillable Instant endedAt,
                               long rowsEvaluated, long segmentsEvaluated, long entered, long exited, String error,
                               List<Step> steps) {
        static RunWithSteps of(ProcessingRuns.Run r, List<Processing.Step> steps) {
            Run run = Run.of(r);
            return new RunWithSteps(run.id(), run.status(), run.reason(), run.startedAt(), run.endedAt(),
                    run.rowsEvaluated(), run.segmentsEvaluated(), run.entered(), run.exited(), run.error(),
                    steps.stream().map(s -> new Step(s.name(), s.status(), s.metrics())).toList());
        }
    }

    @JsonbPropertyOrder({"name", "status", "metrics"})
    public record Step(String name, String status, Map<String, Long> metrics) {
    }
}
