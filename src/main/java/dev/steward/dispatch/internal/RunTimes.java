package dev.steward.dispatch.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * How long this node's attempts of each kind take, as a moving average: of the kinds whose handler allows it, those
 * that finish fast are the ones the dispatcher claims ahead of its free workers, and how fast they finish sets how
 * far ahead. A kind counts as fast
 * once {@link #MIN_SAMPLES} attempts have been timed and its average is under {@link #FAST_NANOS}; one slow spell
 * moves the average up quickly (weight {@link #WEIGHT}), and the kind is then claimed only for free workers again.
 */
final class RunTimes {

    static final long FAST_NANOS = 50_000_000L;
    private static final int MIN_SAMPLES = 8;
    private static final double WEIGHT = 0.2;

    private record Average(double nanos, long samples) {
        Average with(long sample) {
            return new Average(samples == 0 ? sample : nanos + WEIGHT * (sample - nanos), samples + 1);
        }
    }

    private final Map<String, Average> byKind = new ConcurrentHashMap<>();

    void record(String kind, long nanos) {
        byKind.merge(kind, new Average(nanos, 1), (old, ignored) -> old.with(nanos));
    }

    /** Of {@code candidates}, the kinds that finish fast. */
    Set<String> fastKinds(Set<String> candidates) {
        return byKind.entrySet().stream().filter(e -> candidates.contains(e.getKey()) && isFast(e.getValue()))
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    /** The slowest average among {@code kinds}, or 0 when there are none. */
    long slowestNanos(Set<String> kinds) {
        return (long) kinds.stream().map(byKind::get).filter(java.util.Objects::nonNull).mapToDouble(Average::nanos)
                .max().orElse(0);
    }

    private static boolean isFast(Average average) {
        return average.samples() >= MIN_SAMPLES && average.nanos() < FAST_NANOS;
    }
}
