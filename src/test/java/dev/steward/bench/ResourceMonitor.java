package dev.steward.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's memory and CPU over a run, from {@code /proc} (Linux): the Liberty JVM's resident set (sampled every
 * second: start, peak, end; and the kernel's own high-water mark), its user+system CPU seconds over the run (so the
 * average cores it used), the same for PostgreSQL (the postmaster and its backends, those that exited included) and
 * for the harness's own JVM, and how busy the whole machine was (it may be shared). The JVM heap comes from
 * {@code /metrics} ({@code memory_usedHeap_bytes}, every two seconds: peak and end).
 */
final class ResourceMonitor implements AutoCloseable {

    /** What a run cost; CPU in seconds of user+system time, memory in MiB. */
    record Usage(double seconds, double rssStartMib, double rssPeakMib, double rssEndMib, double rssHighWaterMib,
                 double heapPeakMib, double heapEndMib, double heapMaxMib, double serverCpuSeconds,
                 double databaseCpuSeconds, double harnessCpuSeconds, double machineBusyCores, int machineCores,
                 double executorThreadsPeak, double poolWaitSeconds, double poolQueued) {

        double serverCores() {
            return serverCpuSeconds / seconds;
        }

        double databaseCores() {
            return databaseCpuSeconds / seconds;
        }

        double harnessCores() {
            return harnessCpuSeconds / seconds;
        }

        /** Cores the machine spent on anything but this run's three processes (other builds on a shared host). */
        double otherCores() {
            return Math.max(0, machineBusyCores - serverCores() - databaseCores() - harnessCores());
        }
    }

    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private final long serverPid;
    private final long postmasterPid;
    private final URI metrics;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "resource-monitor");
        thread.setDaemon(true);
        return thread;
    });

    private long startNanos;
    private long rssStartKib;
    private volatile long rssPeakKib;
    private volatile long rssLastKib;
    private volatile double heapPeak;
    private volatile double heapLast;
    private volatile double heapMax;
    private volatile double threadsPeak = Double.NaN;
    private volatile double poolWaitFirst = Double.NaN;
    private volatile double poolWaitLast = Double.NaN;
    private volatile double poolQueuedFirst = Double.NaN;
    private volatile double poolQueuedLast = Double.NaN;
    private volatile String lastExposition = "";
    private long serverTicks;
    private long databaseTicks;
    private long harnessTicks;
    private long[] machine;
    private Usage usage;

    ResourceMonitor(LoadRig rig, Path pgData) throws IOException {
        this.serverPid = rig.serverPid;
        this.postmasterPid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
        this.metrics = rig.base.resolve("/metrics");
    }

    /** Starts counting from now. */
    ResourceMonitor start() {
        startNanos = System.nanoTime();
        rssStartKib = status(serverPid, "VmRSS");
        rssPeakKib = rssStartKib;
        rssLastKib = rssStartKib;
        serverTicks = cpuTicks(serverPid, false);
        databaseTicks = databaseTicks();
        harnessTicks = cpuTicks(ProcessHandle.current().pid(), false);
        machine = machineTicks();
        sampler.scheduleAtFixedRate(this::sampleMemory, 1, 1, TimeUnit.SECONDS);
        sampler.scheduleAtFixedRate(this::sampleHeap, 0, 2, TimeUnit.SECONDS);
        return this;
    }

    /** Stops counting; what the run cost. */
    Usage stop() {
        if (usage != null) {
            return usage;
        }
        sampler.shutdownNow();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        sampleMemory();
        sampleHeap();
        long[] machineNow = machineTicks();
        double machineBusy = ((machineNow[0] - machine[0]) - (machineNow[1] - machine[1])) / (double) TICKS_PER_SECOND;
        usage = new Usage(seconds, rssStartKib / 1024.0, rssPeakKib / 1024.0, rssLastKib / 1024.0,
                status(serverPid, "VmHWM") / 1024.0, heapPeak, heapLast, heapMax,
                (cpuTicks(serverPid, false) - serverTicks) / (double) TICKS_PER_SECOND,
                (databaseTicks() - databaseTicks) / (double) TICKS_PER_SECOND,
                (cpuTicks(ProcessHandle.current().pid(), false) - harnessTicks) / (double) TICKS_PER_SECOND,
                machineBusy / seconds, Runtime.getRuntime().availableProcessors(), threadsPeak,
                poolWaitLast - poolWaitFirst, poolQueuedLast - poolQueuedFirst);
        return usage;
    }

    private void sampleMemory() {
        long rss = status(serverPid, "VmRSS");
        if (rss > 0) {
            rssLastKib = rss;
            rssPeakKib = Math.max(rssPeakKib, rss);
        }
    }

    private void sampleHeap() {
        try {
            String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10))
                    .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString()).body();
            metric(body, "memory_usedHeap_bytes").ifPresent(used -> {
                heapLast = used / 1048576.0;
                heapPeak = Math.max(heapPeak, heapLast);
            });
            metric(body, "memory_maxHeap_bytes").ifPresent(max -> heapMax = max / 1048576.0);
            metric(body, "threadpool_size").ifPresent(size -> threadsPeak = Double.isNaN(threadsPeak) ? size
                    : Math.max(threadsPeak, size));
            metric(body, "connectionpool_waitTime_total_seconds").ifPresent(wait -> {
                poolWaitFirst = Double.isNaN(poolWaitFirst) ? wait : poolWaitFirst;
                poolWaitLast = wait;
            });
            metric(body, "connectionpool_queuedRequests_total").ifPresent(queued -> {
                poolQueuedFirst = Double.isNaN(poolQueuedFirst) ? queued : poolQueuedFirst;
                poolQueuedLast = queued;
            });
            lastExposition = body;
        } catch (IOException e) {
            // a scrape that failed under load is a missing sample, not a failed run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code /metrics} page read. */
    String lastMetrics() {
        return lastExposition;
    }

    /** The sum of a metric's samples over all its labels on the last page read: counters since the server started. */
    double total(String name) {
        double sum = 0;
        for (String line : lastExposition.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String[] parts = line.trim().split(" ");
                sum += Double.parseDouble(parts[parts.length - 1]);
            }
        }
        return sum;
    }

    /** The first sample of a Prometheus metric (any labels). */
    static Optional<Double> metric(String exposition, String name) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String[] parts = line.trim().split(" ");
                return Optional.of(Double.parseDouble(parts[parts.length - 1]));
            }
        }
        return Optional.empty();
    }

    /** A {@code kB} line of {@code /proc/<pid>/status}; 0 when the process is gone. */
    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** utime+stime of a process (and cutime+cstime, its reaped children's, when asked); 0 when it is gone. */
    private static long cpuTicks(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (withReapedChildren) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The postmaster with its exited backends, plus its live backends and workers. */
    private long databaseTicks() {
        long ticks = cpuTicks(postmasterPid, true);
        ticks += ProcessHandle.of(postmasterPid).map(p -> p.children().mapToLong(c -> cpuTicks(c.pid(), false)).sum())
                .orElse(0L);
        return ticks;
    }

    /** The machine's busy and idle (idle+iowait) ticks, from the first line of {@code /proc/stat}. */
    private static long[] machineTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) { // user..steal; guest is inside user already
                total += Long.parseLong(cpu[i]);
            }
            return new long[] {total, Long.parseLong(cpu[4]) + Long.parseLong(cpu[5])};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (Exception e) {
            return 100;
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
