/**
 * The processing REST API: the state of change capture and, later, evaluation runs.
 */
package io.segmatch.processing.api;
