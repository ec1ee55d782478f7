/**
 * Meta's Graph API (Marketing API, customer-list Custom Audiences) as a destination of the
 * sync engine: settings, the calls with Meta's retry policy and usage headers, and its errors
 * in words a user can act on.
 */
package io.segmatch.activation.meta;
