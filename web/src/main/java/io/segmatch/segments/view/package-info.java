/**
 * Console pages for segments, each bean mirroring its page under {@code webapp/segments/}.
 */
package io.segmatch.segments.view;
