package dev.deploypipeline.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves by hand, shared by the threads that read it: fixed at a start, where time passes only when
 * the test says so, or the system's time moved on by whatever the test adds, so pauses pass without waiting.
 */
public final class MovableClock extends Clock {

    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    public MovableClock(Instant start) {
        this(Clock.fixed(start, ZoneOffset.UTC));
    }

    private MovableClock(Clock base) {
        this.base = base;
    }

    /** The system's time plus whatever the test has moved it on by. */
    public static MovableClock ofSystemTime() {
        return new MovableClock(Clock.systemUTC());
    }

    public synchronized void set(Instant instant) {
        offset = Duration.between(base.instant(), instant);
    }

    public synchronized Instant advance(Duration by) {
        offset = offset.plus(by);
        return instant();
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a movable clock is UTC");
    }
}
