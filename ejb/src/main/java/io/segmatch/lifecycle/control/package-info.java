/**
 * The lifecycle timers: the daily history purge and the completion of erasure requests once
 * the people are gone everywhere.
 */
package io.segmatch.lifecycle.control;
