/**
 * Plain logic for datasets, testable without a container: spooling and sniffing uploads,
 * reading CSV records, header and key rules, type inference, identifier guessing and the
 * upload processor that applies an upload on a JDBC connection.
 */
package io.segmatch.datasets.control;
