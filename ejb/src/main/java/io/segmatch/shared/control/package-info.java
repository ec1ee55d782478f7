/**
 * The server side shared by every component: the schema migration at startup, this server's
 * registration among the instances sharing the database, the application's meters, and starting
 * the batch jobs of claimed work (runs, syncs) with the timers' start attempts.
 */
package io.segmatch.shared.control;
