/**
 * Segment logic as plain Java: validating rules against a dataset's columns.
 */
package io.segmatch.segments.control;
