package io.segmatch.membership;

import io.segmatch.membership.store.ProcessingRuns.Due;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the timer starts a run (docs/processing.md, "When a run starts"). */
class DueTest {

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Instant RECENT = NOW.minusSeconds(20);
    static final Instant LONG_AGO = NOW.minusSeconds(90);

    @Test
    void aChangeThatAskedOrASegmentToRebuildStartsARunAtOnce() {
        assertTrue(new Due(true, true, false, RECENT, false, false).due(NOW, MINUTE));
        assertTrue(new Due(false, false, true, RECENT, false, false).due(NOW, MINUTE));
    }

    @Test
    void waitingChangesAndFailedRebuildsWaitForTheInterval() {
        assertFalse(new Due(false, true, false, RECENT, false, false).due(NOW, MINUTE));
        assertTrue(new Due(false, true, false, LONG_AGO, false, false).due(NOW, MINUTE));
        assertTrue(new Due(false, true, false, null, false, false).due(NOW, MINUTE), "no run ever");
        assertFalse(new Due(false, false, false, RECENT, false, true).due(NOW, MINUTE), "no retry at every tick");
        assertTrue(new Due(false, false, false, LONG_AGO, false, true).due(NOW, MINUTE));
    }

    @Test
    void nothingToDoOrARunningRunStartsNothing() {
        assertFalse(new Due(false, false, false, LONG_AGO, false, false).due(NOW, MINUTE));
        assertFalse(new Due(true, true, true, LONG_AGO, true, true).due(NOW, MINUTE));
    }

    @Test
    void segmentsThatSettleHoldEveryRunBack() {
        assertFalse(new Due(true, true, true, LONG_AGO, false, false, true).due(NOW, MINUTE));
        assertFalse(new Due(false, false, true, null, false, false, true).due(NOW, MINUTE));
        assertTrue(new Due(false, false, true, null, false, false, false).due(NOW, MINUTE));
    }
}
