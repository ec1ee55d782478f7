package io.segmatch.membership.evaluation;

import java.io.Serializable;
import java.util.Map;

/**
 * A pending change claimed by a run: the row's key, the change's sequence number (consumed
 * only if still current when the run commits) and the row's values now, or null if the row
 * was deleted.
 */
public record ChangedRow(String datasetId, String key, long seq, Map<String, String> values) implements Serializable {

    public boolean deleted() {
        return values == null;
    }
}
