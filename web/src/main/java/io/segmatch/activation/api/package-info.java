/** The activation API (docs/activation.md). */
package io.segmatch.activation.api;
