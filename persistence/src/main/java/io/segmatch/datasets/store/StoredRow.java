package io.segmatch.datasets.store;

import java.time.Instant;
import java.util.Map;

/** One row as stored: its key, its values by column (missing values absent), its times. */
public record StoredRow(String key, Map<String, String> values, Instant createdAt, Instant updatedAt) {
}
