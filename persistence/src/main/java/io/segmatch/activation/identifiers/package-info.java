/**
 * Customer Match identifiers: a row's email, phone and name/address values normalised and
 * hashed exactly as Google asks (the reference's section 3.3), as plain Java.
 */
package io.segmatch.activation.identifiers;
