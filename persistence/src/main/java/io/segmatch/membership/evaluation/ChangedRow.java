package io.segmatch.membership.evaluation;

import java.io.Serializable;
import java.util.Map;

/**
 * A pending change claimed by a run: the row's key, the change's sequence number (consumed
 * only if still current when the run commits), the row's values now (null if the row was
 * deleted) and its memberships, read with the claim in the transaction that applies it (only
 * the run writes memberships, and one run runs at a time).
 */
public record ChangedRow(String datasetId, String key, long seq, Map<String, String> values, Memberships memberships)
        implements Serializable {

    public boolean deleted() {
        return values == null;
    }
}
