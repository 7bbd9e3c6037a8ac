package dev.steward.admin.internal;

/** Durations as people read them: 350 ms, 4.2 s, 3 min 5 s, 2 h 10 min; empty when unknown. */
final class Durations {

    private Durations() {
    }

    static String text(Long millis) {
        if (millis == null) {
            return "";
        }
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
