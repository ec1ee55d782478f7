/**
 * The live stream ({@code GET /api/events}, docs/operations.md): Server-Sent Events written
 * with the Servlet API's non-blocking output, so a slow, stalled or vanished client never
 * holds a thread or delays the others.
 */
package io.segmatch.live.api;
