/**
 * The batch artifacts of the membership job ({@code evaluate-changes}): the reader that
 * claims pending changes in key order, the processor that evaluates each changed row
 * against its dataset's segments, and the writer that applies enters and exits. The job
 * arrives with the incremental-membership issue; this jar already carries the job XML
 * location ({@code META-INF/batch-jobs/}) and the CDI discovery the batch runtime needs.
 */
package io.segmatch.membership.batch;
