/**
 * The batch artifacts of the membership job ({@code META-INF/batch-jobs/evaluate-changes.xml}):
 * batchlets that retire deleted segments and rebuild changed ones, the reader that claims
 * pending changes in key order, the processor that evaluates each changed row against its
 * dataset's segments, the writer that applies enters and exits, and the listeners that end
 * the run. The logic itself is plain code in the persistence module's membership packages.
 */
package io.segmatch.membership.batch;
