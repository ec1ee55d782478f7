/**
 * What the live console shows, read in one go from committed state: every segment's count,
 * status and times, the pending changes, and whether a processing run or a sync is running.
 */
package io.segmatch.live.store;
