package io.segmatch.segments.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Segments that were deleted: they stay (marked) until a processing run has recorded their
 * members' exits, then they may go for good with their dataset.
 */
public final class DeletedSegments {

    private DeletedSegments() {
    }

    /** The name of a deleted segment of the dataset whose members have not left yet, if any. */
    public static Optional<String> stillLeaving(Connection c, String datasetId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT name FROM segment WHERE dataset_id = ? AND deleted_at IS NOT NULL "
                + "AND evaluated_version < definition_version LIMIT 1")) {
            ps.setString(1, datasetId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Removes the dataset's deleted segments (before the dataset itself goes). */
    public static void forget(Connection c, String datasetId) throws SQLException {
        try (var ps = c.prepareStatement("DELETE FROM segment WHERE dataset_id = ? AND deleted_at IS NOT NULL")) {
            ps.setString(1, datasetId);
            ps.executeUpdate();
        }
    }
}
