package io.segmatch.shared.events;

/**
 * A CDI event: a processing run's end has been committed (fired by the membership job's
 * listener, observed by the live stream, which tells its clients the new counts at once).
 */
public record RunEnded(long runId, boolean failed) {
}
