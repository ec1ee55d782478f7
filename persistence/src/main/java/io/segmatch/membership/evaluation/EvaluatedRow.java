package io.segmatch.membership.evaluation;

import java.io.Serializable;
import java.util.Set;

/**
 * A changed row, the segments it was evaluated against (every live segment of its dataset)
 * and those it matches now (none if it was deleted).
 */
public record EvaluatedRow(ChangedRow change, Set<String> evaluated, Set<String> matching) implements Serializable {
}
