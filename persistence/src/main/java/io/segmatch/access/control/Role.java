package io.segmatch.access.control;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a user or a token may do. Each role includes the ones below it, so a caller is in the
 * role it has and in every lower one: an admin is also an editor and a viewer.
 */
public enum Role {
    VIEWER, EDITOR, ADMIN;

    /** The name used in the API, the database and {@code @RolesAllowed}. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The container groups (and so roles) of a caller with this role: this one and the lower ones. */
    public List<String> groups() {
        return Arrays.stream(values()).filter(r -> r.ordinal() <= ordinal()).map(Role::apiName).toList();
    }

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** The lower of two roles (a token never has more than its owner). */
    public Role atMost(Role other) {
        return ordinal() <= other.ordinal() ? this : other;
    }

    public static Optional<Role> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(r -> r.apiName().equals(name)).findFirst();
    }

    /** Role names as constants, for {@code @RolesAllowed}. */
    public static final class Names {
        public static final String VIEWER = "viewer";
        public static final String EDITOR = "editor";
        public static final String ADMIN = "admin";

        private Names() {
        }
    }
}
