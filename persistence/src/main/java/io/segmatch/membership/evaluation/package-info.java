/**
 * The incremental membership logic as plain Java: which segments a changed row belongs to now.
 */
package io.segmatch.membership.evaluation;
