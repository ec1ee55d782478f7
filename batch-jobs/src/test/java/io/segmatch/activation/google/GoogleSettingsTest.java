package io.segmatch.activation.google;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code segmatch.googleads.job-people}: a million unless set, and only a whole number from 1 to a million. */
class GoogleSettingsTest {

    @Test
    void aJobTakesAMillionPeopleUnlessSet() {
        assertEquals(1_000_000, GoogleSettings.jobPeople(null));
        assertEquals(3, GoogleSettings.jobPeople("3"));
        assertEquals(1, GoogleSettings.jobPeople("1"));
        assertEquals(1_000_000, GoogleSettings.jobPeople("1000000"));
    }

    @Test
    void anythingElseIsRefusedByName() {
        for (String bad : new String[] {"0", "-5", "1000001", "ten", "2.5", "99999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoogleSettings.jobPeople(bad), bad);
            assertTrue(e.getMessage().contains("segmatch.googleads.job-people") && e.getMessage().contains(bad), e.getMessage());
        }
    }
}
