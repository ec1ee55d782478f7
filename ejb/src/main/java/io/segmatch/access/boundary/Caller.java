package io.segmatch.access.boundary;

import io.segmatch.access.control.Role;

/**
 * An authenticated caller: a user (by password or session) or a token acting for one.
 *
 * @param mustChangePassword the user still has a generated password (the console asks for a new one)
 */
public record Caller(String username, Role role, boolean mustChangePassword) {
}
