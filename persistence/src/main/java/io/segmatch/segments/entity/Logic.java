package io.segmatch.segments.entity;

/** How a rule joins its conditions: every one holds (AND) or at least one holds (OR). */
public enum Logic {
    AND, OR
}
