/**
 * MicroProfile Health checks: readiness reports the database, liveness the application.
 */
package io.segmatch.shared.health;
