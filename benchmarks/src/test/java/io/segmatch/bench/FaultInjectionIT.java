package io.segmatch.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fault-injection run's cheap cases, in every build: Payara Micro killed in the middle of
 * an upload, everything killed at once during a membership run, PostgreSQL killed alone during a
 * row write, Payara Micro killed during a sync. Each must leave the data as before or after the
 * write, the members, the log, Google's list and Meta's audience right (one of each), and
 * Segmatch working again by itself. The full run (20 random kill points
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
                new Object[]{FaultInjection.Operation.ROW_WRITE, FaultInjection.Target.POSTGRES, 0},
                // Payara Micro killed 300 ms into a sync to Google and Meta: neither gets a second
                // list or audience, and both end up holding exactly the members
                new Object[]{FaultInjection.Operation.SYNC, FaultInjection.Target.PAYARA, 300});
        int failed = FaultInjection.run(Path.of("target", "faults-it"), plan.size(), 3000, 42, plan);
        assertEquals(0, failed, "every kill point passes (its lines above say why not)");
    }
}
