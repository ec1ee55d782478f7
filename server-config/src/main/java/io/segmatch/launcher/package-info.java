/**
 * The local launcher (embedded PostgreSQL plus Payara Micro in a child JVM) and the
 * upload benchmark that drives it.
 */
package io.segmatch.launcher;
