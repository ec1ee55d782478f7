/**
 * The processing boundary: the state of change capture and, with the membership job,
 * the evaluation runs.
 */
package io.segmatch.processing.boundary;
