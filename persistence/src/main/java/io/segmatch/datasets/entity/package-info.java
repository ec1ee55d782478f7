/**
 * The dataset entities: datasets with their typed columns and identifier roles, and the
 * upload history. Row data lives in {@code dataset_row} and is reached through the stores.
 */
package io.segmatch.datasets.entity;
