package io.segmatch.launcher.watch;

import java.io.IOException;
import java.io.InputStream;

/**
 * A Java agent the launcher gives Payara Micro ({@code -javaagent:segmatch-watch.jar}): it reads
 * the JVM's standard input, a pipe from the launcher that the launcher never writes to. When the
 * pipe ends, the launcher is gone (it exited, or was killed, even with SIGKILL: the kernel closes
 * its end), and this JVM exits too, running its shutdown hooks. Packaged in a jar of its own with
 * no dependencies, so that nothing else lands on Payara Micro's class path.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    public static void premain(String args) {
        Thread watch = new Thread(() -> watch(System.in), "segmatch-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    static void watch(InputStream in) {
        try {
            byte[] buffer = new byte[256];
            while (in.read(buffer) >= 0) {
                // the launcher writes nothing; anything read is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same: the launcher is gone
        }
        System.err.println("[segmatch] the launcher is gone: Payara Micro stops");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(1); // shutdown hooks that hang must not keep it running
        }, "segmatch-parent-watch-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(0);
    }
}
