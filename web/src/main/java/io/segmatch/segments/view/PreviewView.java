package io.segmatch.segments.view;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/** What the builder's preview panel shows: the count, what was scanned, and the sample rows. */
public record PreviewView(long count, long scanned, long totalRows, List<String> columns, List<SampleRow> sample)
        implements Serializable {

    /** "matching rows among the first 10,000 of 1,000,000 rows", or "… among all 6 rows". */
    public String scope() {
        String what = (count == 1 ? "matching row" : "matching rows");
        return scanned >= totalRows
                ? what + " among all " + number(totalRows) + (totalRows == 1 ? " row" : " rows")
                : what + " among the first " + number(scanned) + " of " + number(totalRows) + " rows";
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** One matching row of the sample: its key and its values in column order. */
    public record SampleRow(String key, List<String> values) implements Serializable {
    }
}
