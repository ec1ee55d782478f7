/** The access-control tables (users, API tokens, login attempts, the audit log) through JDBC. */
package io.segmatch.access.store;
