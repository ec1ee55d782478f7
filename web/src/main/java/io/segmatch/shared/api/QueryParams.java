package io.segmatch.shared.api;

import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;

import java.util.List;

/** Query parameters shared by the list endpoints, checked with a 400 naming the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    /** A page size from 1 to {@code max}. */
    public static int limit(String value, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw SegmatchException.invalid("invalid-parameter", "limit must be a whole number from 1 to " + max,
                List.of(FieldError.field("limit", "a whole number from 1 to " + max + ", not '" + value + "'")));
    }

    /** A non-negative id to page after (0: from the start). */
    public static long after(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw SegmatchException.invalid("invalid-parameter", "after must be the id of a change",
                List.of(FieldError.field("after", "the id of a change (a whole number), not '" + value + "'")));
    }
}
