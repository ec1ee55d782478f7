/**
 * Activation state in PostgreSQL: the activated segments, what Google acknowledged, the sync
 * plans (jobs and the people they carry), the sync runs and batches.
 */
package io.segmatch.activation.store;
