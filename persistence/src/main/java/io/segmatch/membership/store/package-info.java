/**
 * Membership state in PostgreSQL: segment members, the enter/exit log, the activation queue,
 * pending changes claimed by the processing run, rebuilds and the runs themselves.
 */
package io.segmatch.membership.store;
