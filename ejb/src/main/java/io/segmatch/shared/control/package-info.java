/**
 * The server side shared by every component: the schema migration at startup, this server's
 * registration among the instances sharing the database, JDBC work on the application's
 * datasource, the application's meters and the timers' start attempts.
 */
package io.segmatch.shared.control;
