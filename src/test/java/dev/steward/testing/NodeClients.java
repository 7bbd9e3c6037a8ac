package dev.steward.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Official Node clients (pinned by {@code src/test/node/package.json} and its lock file, installed from the npm
 * registry into {@code target/node-clients} on first use in a test run) and the scripts that drive them.
 */
public final class NodeClients {

    private static final Path SOURCES = Path.of("src/test/node");
    private static final Path HOME = Path.of("target/node-clients");

    private NodeClients() {
    }

    /** Runs {@code script} (a file in src/test/node) with {@code environment}; its standard output, or fails. */
    public static synchronized String run(String script, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        install();
        Files.copy(SOURCES.resolve(script), HOME.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        return exec(List.of("node", script), environment, timeout);
    }

    /** {@code npm ci} from the committed lock file, again only when package.json or the lock changed. */
    private static void install() throws IOException, InterruptedException {
        Files.createDirectories(HOME);
        boolean current = Files.isDirectory(HOME.resolve("node_modules"));
        for (String file : List.of("package.json", "package-lock.json")) {
            byte[] wanted = Files.readAllBytes(SOURCES.resolve(file));
            Path installed = HOME.resolve(file);
            if (!Files.exists(installed) || !Arrays.equals(wanted, Files.readAllBytes(installed))) {
                Files.write(installed, wanted);
                current = false;
            }
        }
        if (!current) {
            exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), Duration.ofMinutes(5));
        }
    }

    private static String exec(List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(HOME, "stdout", ".log");
        Path stderr = Files.createTempFile(HOME, "stderr", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(HOME.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String out = Files.readString(stdout);
        String err = Files.readString(stderr);
        Files.delete(stdout);
        Files.delete(stderr);
        if (!finished || process.exitValue() != 0) {
            throw new AssertionError(command + (finished ? " exited " + process.exitValue() : " did not finish in "
                    + timeout) + ":\n" + out + err);
        }
        return out;
    }
}
