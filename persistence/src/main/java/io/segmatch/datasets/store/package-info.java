/**
 * JDBC access to dataset rows: single-row reads and writes, the bulk upload stage (COPY
 * plus set-based merge) and the pending-change queue that every row write feeds.
 */
package io.segmatch.datasets.store;
