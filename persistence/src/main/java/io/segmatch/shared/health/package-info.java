/**
 * MicroProfile Health checks: readiness reports the database, liveness the application. They live
 * in this jar (the EAR's {@code lib/}) rather than in the WAR: WildFly registers the checks of an
 * EAR's top level only, not those of its web or EJB modules.
 */
package io.segmatch.shared.health;
