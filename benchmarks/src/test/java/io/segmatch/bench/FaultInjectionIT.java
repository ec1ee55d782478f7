package io.segmatch.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fault-injection run's cheap cases, in every build: Payara Micro killed in the middle of
 * an upload, everything killed at once during a membership run, PostgreSQL killed alone during a
 * row write. Each must leave the data as before or after the write, the members, the log and
 * Google's list right, and Segmatch working again by itself. The full run (20 random kill points
 * and more) is the command in the README.
 */
class FaultInjectionIT {

    @Test
    void threeKillPointsPass() throws Exception {
        List<Object[]> plan = List.of(
                // killed 20 ms into the upload: before its answer, usually before its commit
                new Object[]{FaultInjection.Operation.UPLOAD, FaultInjection.Target.PAYARA, 20},
                // 50 ms after the upload's answer: while the membership run evaluates it
                new Object[]{FaultInjection.Operation.RUN, FaultInjection.Target.GROUP, 50},
                new Object[]{FaultInjection.Operation.ROW_WRITE, FaultInjection.Target.POSTGRES, 0});
        int failed = FaultInjection.run(Path.of("target", "faults-it"), plan.size(), 3000, 42, plan);
        assertEquals(0, failed, "every kill point passes (its lines above say why not)");
    }
}
