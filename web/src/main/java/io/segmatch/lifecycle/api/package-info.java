/** The lifecycle REST API: {@code /api/erasures} and {@code /api/history}. */
package io.segmatch.lifecycle.api;
