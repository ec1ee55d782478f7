package io.segmatch.launcher;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's command line: known options with their values pass, anything else is named. */
class LauncherOptionsTest {

    @Test
    void theDocumentedCommandLinesPass() {
        assertNull(Launcher.problem(new String[0]));
        assertNull(Launcher.problem(new String[] {"--port", "9090", "--data", "./data", "--bind", "0.0.0.0"}));
        assertNull(Launcher.problem(new String[] {"--java-options", "-Xmx1g -XX:+UseG1GC", "--db-shared-buffers", "512MB"}));
        assertNull(Launcher.problem(new String[] {"--db-url", "jdbc:postgresql://db/segmatch", "--db-user", "app",
                "--db-password", "-secret-"}));
        assertNull(Launcher.problem(new String[] {"--data", "d", "--backup", "./backups/2026-11-30"}));
        assertNull(Launcher.problem(new String[] {"--restore", "./backups/2026-11-30"}));
    }

    @Test
    void anUnknownOptionIsNamed() {
        assertEquals("unknown option --prot", Launcher.problem(new String[] {"--prot", "9090"}));
        assertEquals("unknown option -p", Launcher.problem(new String[] {"--data", "d", "-p", "9090"}));
        assertEquals("unexpected argument start (options are --name value)", Launcher.problem(new String[] {"start"}));
    }

    @Test
    void anOptionWithoutItsValueIsNamed() {
        assertEquals("--data needs a value: --data DIR: the embedded database's files and passwords (default ./data)",
                Launcher.problem(new String[] {"--port", "9090", "--data"}));
        assertTrue(Launcher.problem(new String[] {"--data", "--port", "9090"}).startsWith("--data needs a value"));
    }

    @Test
    void aPortIsANumberFrom1To65535() {
        assertEquals("--port takes a number from 1 to 65535, not 80a", Launcher.problem(new String[] {"--port", "80a"}));
        assertNotNull(Launcher.problem(new String[] {"--port", "0"}));
        assertNotNull(Launcher.problem(new String[] {"--port", "65536"}));
        assertNotNull(Launcher.problem(new String[] {"--port", "999999999999"}));
        assertNull(Launcher.problem(new String[] {"--port", "65535"}));
        assertNull(Launcher.problem(new String[] {"--port", "1"}));
    }

    @Test
    void theUsageListsEveryOption() {
        String usage = Launcher.usage();
        for (String option : Launcher.OPTIONS.keySet()) {
            assertTrue(usage.contains("  " + option + " "), option + " in\n" + usage);
        }
        assertTrue(usage.contains("--help"));
    }

    @Test
    void randomCommandLinesPassExactlyWhenEveryOptionIsKnownAndHasAValue() {
        List<String> known = new ArrayList<>(Launcher.OPTIONS.keySet());
        Random random = new Random(20261204);
        for (int round = 0; round < 2000; round++) {
            List<String> args = new ArrayList<>();
            boolean valid = true;
            int pairs = random.nextInt(5);
            for (int i = 0; i < pairs; i++) {
                boolean unknown = random.nextInt(8) == 0;
                String option = unknown ? "--x" + random.nextInt(100) : known.get(random.nextInt(known.size()));
                valid &= !unknown;
                args.add(option);
                if (random.nextInt(10) == 0 && i == pairs - 1) {
                    valid = false; // the value left out at the end
                    break;
                }
                args.add(option.equals("--port") ? String.valueOf(1 + random.nextInt(65535)) : "v" + random.nextInt(1000));
            }
            String problem = Launcher.problem(args.toArray(String[]::new));
            assertEquals(valid, problem == null, args + ": " + problem);
        }
    }
}
