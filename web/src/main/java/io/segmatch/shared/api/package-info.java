/**
 * JAX-RS plumbing shared by every resource: the application path and the mapping of every
 * exception to an RFC 9457 problem document.
 */
package io.segmatch.shared.api;
