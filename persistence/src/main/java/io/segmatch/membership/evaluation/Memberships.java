package io.segmatch.membership.evaluation;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A row's memberships: the numbers of the segments it is in, ascending, and when it entered
 * each (epoch milliseconds), as {@code row_membership} holds them.
 */
public record Memberships(int[] segments, long[] since) implements Serializable {

    public static final Memberships NONE = new Memberships(new int[0], new long[0]);

    public boolean has(int segment) {
        return Arrays.binarySearch(segments, segment) >= 0;
    }

    public long since(int segment) {
        return since[Arrays.binarySearch(segments, segment)];
    }

    public boolean isEmpty() {
        return segments.length == 0;
    }

    /** From the columns read as {@code array_to_string(segments, ',')} and the same of since (null: none). */
    public static Memberships parse(String segments, String since) {
        if (segments == null || segments.isEmpty()) {
            return NONE;
        }
        String[] s = segments.split(",");
        String[] t = since.split(",");
        int[] numbers = new int[s.length];
        long[] times = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            numbers[i] = Integer.parseInt(s[i]);
            times[i] = Long.parseLong(t[i]);
        }
        return new Memberships(numbers, times);
    }
}
