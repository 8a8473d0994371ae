package app.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs external programs without a shell. */
public final class ProcessRunner {
    private ProcessRunner() {}

    /** Run argv (program first) and return stdout. */
    public static String run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor();
        return new String(out, StandardCharsets.UTF_8);
    }
}
