/**
 * The segments boundary: segment definitions and the live preview of the builder.
 */
package io.segmatch.segments.boundary;
