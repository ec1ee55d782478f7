/**
 * Mapping helpers shared by the entities of every component.
 */
package io.segmatch.shared.entity;
