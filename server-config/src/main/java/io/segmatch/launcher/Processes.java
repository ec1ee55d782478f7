package io.segmatch.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Other processes as the launcher's tests and the fault-injection run see them. */
public final class Processes {

    private Processes() {
    }

    /** Whether the process runs: a zombie (ended, not yet reaped by its parent) does not. */
    public static boolean alive(long pid) {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        if (Files.exists(stat)) {
            try {
                String text = Files.readString(stat);
                return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
            } catch (IOException gone) {
                return false;
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** {@code kill -9}: what the OOM killer or a crashed terminal does; true when the signal was sent. */
    public static boolean kill9(long pid) throws IOException, InterruptedException {
        return new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor() == 0;
    }
}
