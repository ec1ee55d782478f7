/**
 * The datasets REST API: uploads (raw CSV or multipart), dataset metadata and rows, and
 * their JSON shapes.
 */
package io.segmatch.datasets.api;
