package dev.steward.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;

/**
 * The Liberty server that {@code ./mvnw package} assembles under {@code target/liberty/wlp}, run as a real process
 * with Steward's configuration in its environment.
 */
public final class LibertyServer implements AutoCloseable {

    public static final String NAME = "steward";

    private final Path wlp;
    private final String name;
    private final Map<String, String> environment;
    private final Process process;
    private final int httpPort;

    private LibertyServer(Path wlp, String name, Map<String, String> environment, Process process, int httpPort) {
        this.wlp = wlp;
        this.name = name;
        this.environment = environment;
        this.process = process;
        this.httpPort = httpPort;
    }

    /** {@code server run}: in the foreground, its console on ours. */
    public static LibertyServer run(Path wlp, Map<String, String> environment) {
        return launch(wlp, NAME, environment, "run", ProcessBuilder.Redirect.INHERIT);
    }

    /** {@code server start}: in the background, its console in {@code logs/console.log}. */
    public static LibertyServer start(Path wlp, Map<String, String> environment, Path launchLog) {
        return start(wlp, NAME, environment, launchLog);
    }

    /** Starts the server {@code name} of the installation (see {@link #copyServer}). */
    public static LibertyServer start(Path wlp, String name, Map<String, String> environment, Path launchLog) {
        LibertyServer server = launch(wlp, name, environment, "start",
                ProcessBuilder.Redirect.to(launchLog.toFile()));
        try {
            if (!server.process.waitFor(3, TimeUnit.MINUTES) || server.process.exitValue() != 0) {
                throw new IllegalStateException("Liberty did not start; see " + launchLog + " and "
                        + wlp.resolve("usr/servers/" + name + "/logs"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return server;
    }

    /**
     * A second server in the same installation with Steward's configuration and application: another node. Its logs
     * and work area are its own.
     */
    public static void copyServer(Path wlp, String name) {
        Path from = wlp.resolve("usr/servers/" + NAME);
        Path to = wlp.resolve("usr/servers/" + name);
        try {
            FileUtils.deleteDirectory(to.toFile());
            for (String part : List.of("server.xml", "server.env", "bootstrap.properties", "jvm.options")) {
                Files.createDirectories(to);
                Files.copy(from.resolve(part), to.resolve(part));
            }
            for (String folder : List.of("apps", "lib", "resources")) {
                if (Files.isDirectory(from.resolve(folder))) {
                    FileUtils.copyDirectory(from.resolve(folder).toFile(),
                            to.resolve(folder).toFile(), file -> !file.getName().equals("expanded"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LibertyServer launch(Path wlp, String name, Map<String, String> environment, String action,
                                        ProcessBuilder.Redirect output) {
        Path script = wlp.resolve("bin/server");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("No Liberty server at " + wlp + ": run ./mvnw package first");
        }
        // --clean: the OSGi and annotation caches never outlive a rebuild of the application.
        ProcessBuilder builder = new ProcessBuilder(List.of(script.toString(), action, name, "--clean"))
                .redirectErrorStream(true)
                .redirectOutput(output);
        builder.environment().putAll(environment);
        try {
            return new LibertyServer(wlp, name, Map.copyOf(environment), builder.start(),
                    Integer.parseInt(environment.get("STEWARD_HTTP_PORT")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUri() {
        return URI.create("http://localhost:" + httpPort);
    }

    /** Waits until {@code /health/ready} answers 200. */
    public void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(baseUri().resolve("/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = client.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException("Steward was not ready within " + timeout + ": " + last);
    }

    public Process process() {
        return process;
    }

    /** Kills the server's JVM at once (SIGKILL): a node that dies in the middle of its work. */
    public void kill() {
        ProcessHandle jvm = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).contains(name)
                        && p.info().commandLine().orElse("").contains("ws-server.jar"))
                .findFirst().orElseThrow(() -> new IllegalStateException("No JVM runs server " + name));
        jvm.destroyForcibly();
        jvm.onExit().join();
    }

    public Path logDirectory() {
        return wlp.resolve("usr/servers/" + name + "/logs");
    }

    /** {@code server stop}: lets running requests finish. */
    @Override
    public void close() {
        ProcessBuilder stop = new ProcessBuilder(wlp.resolve("bin/server").toString(), "stop", name)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        stop.environment().putAll(environment);
        try {
            stop.start().waitFor(2, TimeUnit.MINUTES);
            if (process.isAlive()) {
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
