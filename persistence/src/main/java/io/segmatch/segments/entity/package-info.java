/**
 * Segments and their rules: the operators with the types and value shapes they take, and
 * validated rules whose operands are already in comparable form.
 */
package io.segmatch.segments.entity;
