/**
 * The data lifecycle for administrators: forgetting a person (erasure requests) and history
 * retention (its setting, the last purge, a purge now).
 */
package io.segmatch.lifecycle.boundary;
