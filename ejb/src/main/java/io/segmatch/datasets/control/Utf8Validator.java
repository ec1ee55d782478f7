package io.segmatch.datasets.control;

/**
 * Incremental, strict UTF-8 validation (no overlong forms, no surrogates, nothing above
 * U+10FFFF), fed chunk by chunk as an upload arrives.
 */
final class Utf8Validator {

    private int needed;      // continuation bytes still expected
    private int lowerBound = 0x80;
    private int upperBound = 0xBF;
    private boolean valid = true;

    void update(byte[] bytes, int offset, int length) {
        if (!valid) {
            return;
        }
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i] & 0xFF;
            if (needed == 0) {
                if (b < 0x80) {
                    continue;
                }
                if (b >= 0xC2 && b <= 0xDF) {
                    needed = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    needed = 2;
                    if (b == 0xE0) {
                        lowerBound = 0xA0;
                    } else if (b == 0xED) {
                        upperBound = 0x9F;
                    }
                } else if (b >= 0xF0 && b <= 0xF4) {
                    needed = 3;
                    if (b == 0xF0) {
                        lowerBound = 0x90;
                    } else if (b == 0xF4) {
                        upperBound = 0x8F;
                    }
                } else {
                    valid = false;
                    return;
                }
            } else {
                if (b < lowerBound || b > upperBound) {
                    valid = false;
                    return;
                }
                lowerBound = 0x80;
                upperBound = 0xBF;
                needed--;
            }
        }
    }

    /** Whether everything fed so far was complete, valid UTF-8. */
    boolean finish() {
        return valid && needed == 0;
    }
}
