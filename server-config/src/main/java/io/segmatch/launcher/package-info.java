/**
 * The local launcher: the embedded PostgreSQL and Payara Micro in a child JVM, both stopped
 * with it, and backups of the embedded database.
 */
package io.segmatch.launcher;
