/**
 * The {@code sync-customer-match} Jakarta Batch job: each activated segment's members sent to
 * its Customer Match list as the difference from what Google acknowledged.
 */
package io.segmatch.activation.batch;
