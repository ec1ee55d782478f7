/**
 * Console pages for datasets, each bean mirroring its page under {@code webapp/datasets/}.
 */
package io.segmatch.datasets.view;
