/**
 * Customer Match identifiers: a row's email, phone and name/address values normalised and
 * hashed exactly as Google's Customer Match documentation asks (docs/activation.md), as plain Java.
 */
package io.segmatch.activation.identifiers;
