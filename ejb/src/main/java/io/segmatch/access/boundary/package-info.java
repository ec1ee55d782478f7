/** Logins (with the lockout), accounts (users, passwords, tokens), the first administrator and the audit trail. */
package io.segmatch.access.boundary;
