package shop.bench;

import java.time.Duration;

/**
 * The open loop's clock (issue #17): request {@code i} is due at {@code start + i / rate}, whatever happened to the
 * requests before it. Its latency counts from that intended time, not from when the sender got round to it, so a
 * stall of the system (or of the sender) shows as the queueing delay every request behind it suffered, instead of
 * as one slow request and a pause in sending (coordinated omission).
 *
 * @param startNanos   the {@link System#nanoTime()} at which request 0 is due
 * @param perSecond    the arrival rate asked, requests per second (more than 0)
 */
record ArrivalSchedule(long startNanos, double perSecond) {

    /** The share of the closed loop's throughput the open loop asks for (issue #17: half). */
    static final double SHARE_OF_THROUGHPUT = 0.5;
    /** The least rate asked, so that a run whose throughput phase confirmed nothing still measures a latency. */
    static final double MIN_PER_SECOND = 1;

    ArrivalSchedule {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a positive number, was " + perSecond);
        }
    }

    /** The rate the open loop asks for after a throughput phase that confirmed {@code throughputPerSecond}. */
    static double rateFor(double throughputPerSecond) {
        return Math.max(MIN_PER_SECOND, SHARE_OF_THROUGHPUT * throughputPerSecond);
    }

    /** When request {@code i} (0, 1, ...) is due. */
    long intendedNanos(long i) {
        return startNanos + Math.round(i * 1e9 / perSecond);
    }

    /** How many requests are due in a phase of {@code duration} from the start (those due before its end). */
    long requestsIn(Duration duration) {
        return (long) Math.ceil(duration.toNanos() * perSecond / 1e9 - 1e-9);
    }

    /** The latency of an answer that came at {@code answeredNanos} to the request due at {@code intendedNanos}, in us. */
    static long latencyMicros(long intendedNanos, long answeredNanos) {
        return Math.max(0, answeredNanos - intendedNanos) / 1000;
    }
}
