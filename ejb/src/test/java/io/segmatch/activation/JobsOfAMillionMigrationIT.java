package io.segmatch.activation;

import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.SyncJobs;
import io.segmatch.shared.control.SchemaMigrations;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade to jobs of at most a million people (V23) counts the people of every job made
 * before it, and marks none of them as planned into an empty set (their acknowledgement keeps
 * looking at the set first) nor as recorded in a known time.
 */
class JobsOfAMillionMigrationIT {

    @Test
    void earlierJobsGetTheirPeopleCounted() throws Exception {
        DataSource db = TestDatabase.atVersion("jobsofamillion", "22");
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO sync_job (id, sync_run_id, segment_id, user_list, kind, status, created_at, updated_at, "
                    + "destination) VALUES (41, 7, 'seg-1', 'customers/1/userLists/2', 'add', 'running', now(), now(), 'google-ads'), "
                    + "(42, 7, 'seg-1', 'customers/1/userLists/2', 'remove', 'success', now(), now(), 'google-ads'), "
                    + "(43, 8, 'seg-2', '120000', 'add', 'new', now(), now(), 'meta')");
            st.execute("INSERT INTO sync_job_item (job_id, row_key, identifiers, position) VALUES "
                    + "(41, 'k1', convert_to('{}', 'UTF8'), 0), (41, 'k2', convert_to('{}', 'UTF8'), 1), "
                    + "(41, 'k3', convert_to('{}', 'UTF8'), 2), (43, 'k1', convert_to('[]', 'UTF8'), 0)");
        }

        assertTrue(Integer.parseInt(SchemaMigrations.migrate(db).split("\\.")[0]) >= 23);

        try (Connection c = db.getConnection()) {
            SyncJobs.Job open = SyncJobs.open(c, "seg-1", Destination.GOOGLE_ADS).orElseThrow();
            assertEquals(41, open.id());
            assertEquals(3, open.people());
            assertFalse(open.intoEmptySet(), "a job made before the upgrade settles as before: the set is looked at");
            assertNull(open.recordedMillis());
            assertEquals(List.of(0L), SyncJobs.ofRun(c, 7).stream().filter(j -> j.id() == 42).map(SyncJobs.Job::people).toList(),
                    "a job without people");
            assertEquals(1, SyncJobs.open(c, "seg-2", Destination.META).orElseThrow().people());
        }
    }
}
