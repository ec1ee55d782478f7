package io.segmatch.shared.control;

import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A timer's attempts to start a job: a failure is logged once, not at every tick, until it
 * changes or an attempt succeeds.
 */
public final class StartAttempts {

    private final Logger log;
    private final String what;
    private String lastProblem;

    /** {@code what}: the job started, as in "could not start a processing run". */
    public StartAttempts(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    public void attempt(Runnable start) {
        try {
            start.run();
            lastProblem = null;
        } catch (RuntimeException e) {
            String problem = e.getMessage();
            if (!Objects.equals(problem, lastProblem)) {
                log.log(Level.WARNING, "could not start " + what + ": " + problem, e);
            }
            lastProblem = problem;
        }
    }
}
