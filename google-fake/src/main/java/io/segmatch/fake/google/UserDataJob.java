package io.segmatch.fake.google;

import java.time.Instant;
import java.util.ArrayList;

/** An offline user data job: its state, which {@link FakeGoogleAds} moves on, and the people it carries. */
final class UserDataJob {
    final String resourceName;
    final String userList;
    final long externalId;
    String status = "PENDING";
    long runAt;
    Instant ranAt;
    String kind; // "create" or "remove", fixed by the first operation
    boolean removeAll;
    /** The people of the accepted operations, packed ({@link PackedPeople#pack}), until the job has run. */
    final ArrayList<byte[]> operations = new ArrayList<>();

    UserDataJob(String resourceName, String userList, long externalId) {
        this.resourceName = resourceName;
        this.userList = userList;
        this.externalId = externalId;
    }
}
