/** The live console's boundary: the committed state the {@code segments} event carries. */
package io.segmatch.live.boundary;
