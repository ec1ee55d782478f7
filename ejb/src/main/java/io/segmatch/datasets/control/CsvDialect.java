package io.segmatch.datasets.control;

import java.nio.charset.Charset;

/**
 * How to read one CSV file: its encoding (and the byte-order mark to skip), its delimiter,
 * and whether its first line is an Excel {@code sep=} line to skip.
 *
 * @param encodingName the name reported in the upload summary
 */
public record CsvDialect(Charset charset, String encodingName, int bomLength, char delimiter, boolean sepLine) {

    /** The delimiter as the summary reports it. */
    public String delimiterText() {
        return String.valueOf(delimiter);
    }
}
