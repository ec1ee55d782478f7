package io.segmatch.it;

import io.segmatch.fake.google.FakeGoogle;
import io.segmatch.testing.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;

import static io.segmatch.it.ProcessingIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A sync whose plan takes longer than {@code segmatch.activation.lost-after} (10 s on the test
 * server; minutes for a full plan of millions of members) is alive, not lost: its heartbeat is
 * renewed while the plan's statement runs. The plan is held by a lock this test takes on the
 * table the plan writes last, so the plan waits inside its transaction for as long as the test
 * holds it; then it goes on, and the members reach the list once.
 */
class SyncLivenessIT extends DeployedWar {

    /** The test server's {@code segmatch.activation.lost-after} (MicroDatabase). */
    static final Duration LOST_AFTER = Duration.ofSeconds(10);

    @Test
    void aSyncStuckInAPlanLongerThanLostAfterIsNotTakenForLost() throws Exception {
        FakeGoogle google = MicroDatabase.google;
        Http http = new Http(base).deployed();
        var upload = http.csv("api/datasets?name=Liveness&key=id",
                "id,email,tier\nl1,ada@liveness.example,gold\nl2,bob@liveness.example,gold\nl3,cy@liveness.example,tin\n");
        assertEquals(201, upload.status(), upload.body());
        String dataset = upload.json().getString("datasetId");
        var patched = http.json("PATCH", "api/datasets/" + dataset, "{\"identifiers\": {\"email\": \"email\"}}");
        assertEquals(200, patched.status(), patched.body());

        try (Connection holder = connect()) {
            holder.setAutoCommit(false);
            // every plan ends by recording its basis here: with this lock it waits, in its transaction
            holder.createStatement().execute("LOCK TABLE activation_basis IN SHARE MODE");
            var created = http.json("POST", "api/segments", "{\"name\": \"Gold (liveness)\", \"datasetId\": \"" + dataset
                    + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"tier\", \"operator\": \"eq\", \"value\": \"gold\"}], "
                    + "\"activation\": {\"googleAds\": {\"enabled\": true, \"userList\": null, "
                    + "\"consent\": {\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"}}}}");
            assertEquals(201, created.status(), created.body());
            String segment = created.json().getString("id");

            try (Connection probe = connect()) {
                Timestamp blockedSince = await(() -> query(probe, "SELECT min(query_start) FROM pg_stat_activity "
                                + "WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO activation_basis%'"),
                        t -> t != null, "a plan to wait for the lock on activation_basis", Duration.ofSeconds(90));
                Long batch = ProcessingIT.<Long>await(() -> query(probe, "SELECT max(id) FROM sync_batch WHERE status = 'running'"),
                        id -> id != null, "the running sync batch");
                // had nothing renewed it, the batch would be taken for lost once its heartbeat is LOST_AFTER old
                Timestamp beat = await(() -> query(probe, "SELECT heartbeat_at FROM sync_batch WHERE id = " + batch),
                        t -> t.toInstant().isAfter(blockedSince.toInstant().plus(LOST_AFTER).plusSeconds(2)),
                        "the batch's heartbeat renewed while its plan waits, past " + LOST_AFTER.toSeconds() + " s",
                        Duration.ofSeconds(60));
                assertNotNull(beat);
                assertEquals("running", query(probe, "SELECT status FROM sync_batch WHERE id = " + batch),
                        "still running: " + query(probe, "SELECT error FROM sync_batch WHERE id = " + batch));
                assertEquals(0L, (Long) query(probe, "SELECT count(*) FROM sync_run WHERE batch_id = " + batch
                        + " AND error LIKE 'lost%'"), "no run of the batch was taken for lost");
                holder.commit();

                // the plan goes on, and the members reach the list, sent by that batch
                JsonObject synced = await(() -> http.get("api/segments/" + segment).json(),
                        s -> !s.isNull("lastSyncedAt"), "the segment to be synced", Duration.ofSeconds(90));
                String list = synced.getJsonObject("activation").getJsonObject("googleAds").getString("userList");
                await(() -> google.members(list).size(), n -> n == 2, "the list to hold the two gold members");
                await(() -> query(probe, "SELECT status FROM sync_batch WHERE id = " + batch), s -> !"running".equals(s),
                        "the batch to end");
                assertEquals(0L, (Long) query(probe, "SELECT count(*) FROM sync_batch WHERE id = " + batch
                        + " AND error LIKE 'lost%'"), "the batch ended, not lost: "
                        + query(probe, "SELECT error FROM sync_batch WHERE id = " + batch));
                assertEquals("completed", query(probe, "SELECT status FROM sync_run WHERE batch_id = " + batch
                        + " AND segment_id = '" + segment + "' ORDER BY id DESC LIMIT 1"));
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(MicroDatabase.url, TestDatabase.user(), TestDatabase.password());
    }

    /** The first column of the query's first row (null when none), as a probe for {@code await}. */
    @SuppressWarnings("unchecked")
    private static <T> T query(Connection c, String sql) {
        try (var rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? (T) rs.getObject(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
