/**
 * Queries over segments and their rows: the preview of the segment builder.
 */
package io.segmatch.segments.store;
