package dev.deploypipeline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Durations measured of one workload, and the figures the benchmark prints of them. */
final class Samples {

    private final List<Duration> durations = new ArrayList<>();

    void add(Duration duration) {
        durations.add(duration);
    }

    int count() {
        return durations.size();
    }

    /** The nearest-rank percentile: of 15 samples, p50 is the 8th smallest and p95 the 15th. */
    Duration percentile(int percent) {
        if (durations.isEmpty()) {
            throw new IllegalStateException("nothing was measured");
        }
        List<Duration> sorted = durations.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    Duration median() {
        return percentile(50);
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis < 10_000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** How {@code measured} compares with {@code reference}: the difference and the ratio. */
    static String compare(Duration measured, Duration reference) {
        long difference = measured.toMillis() - reference.toMillis();
        double ratio = reference.isZero() ? Double.NaN : (double) measured.toMillis() / reference.toMillis();
        return String.format(
                Locale.ROOT,
                "%s%s (%.2f×)",
                difference >= 0 ? "+" : "−",
                format(Duration.ofMillis(Math.abs(difference))),
                ratio);
    }
}
