package io.segmatch.shared.error;

/** The innermost cause of a failure, in words: what logs and reports show of an exception chain. */
public final class RootCause {

    private RootCause() {
    }

    /** The root cause's message, or its class name when it has none. */
    public static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
