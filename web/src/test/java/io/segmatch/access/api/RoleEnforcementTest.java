package io.segmatch.access.api;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which roles a resource method allows; a method without any rule allows nobody. */
class RoleEnforcementTest {

    static class Unmarked {
        public void forgotten() {
        }
    }

    @RolesAllowed("viewer")
    static class Marked {
        public void inherits() {
        }

        @RolesAllowed("admin")
        public void own() {
        }

        @DenyAll
        public void nobody() {
        }

        @PermitAll
        public void anyUser() {
        }
    }

    @Test
    void closedUnlessSaid() throws Exception {
        assertEquals(List.of(), RoleEnforcement.rule(Unmarked.class.getMethod("forgotten"), Unmarked.class));
        assertEquals(List.of("viewer"), RoleEnforcement.rule(Marked.class.getMethod("inherits"), Marked.class));
        assertEquals(List.of("admin"), RoleEnforcement.rule(Marked.class.getMethod("own"), Marked.class));
        assertEquals(List.of(), RoleEnforcement.rule(Marked.class.getMethod("nobody"), Marked.class));
        assertNull(RoleEnforcement.rule(Marked.class.getMethod("anyUser"), Marked.class));
    }
}
