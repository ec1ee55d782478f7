/**
 * The segments REST API: definitions and the builder's live preview, and their JSON shapes.
 */
package io.segmatch.segments.api;
