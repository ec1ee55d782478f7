/**
 * The datasets boundary: transactional entry points for uploads, dataset metadata and
 * single-row changes, used by the REST API and the console.
 */
package io.segmatch.datasets.boundary;
