/**
 * Starting processing runs: the EJB timer that starts one when it is due, and the starter
 * that claims a run and launches the {@code evaluate-changes} batch job.
 */
package io.segmatch.processing.control;
