package shop.bench;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The open loop's clock: when each request is due, how many a phase sends, and what its latency counts. */
class ArrivalScheduleTest {

    @Test
    void requestsAreDueAtFixedIntervalsFromTheStartWhateverHappenedBefore() {
        ArrivalSchedule schedule = new ArrivalSchedule(1_000_000_000L, 40);
        assertThat(schedule.intendedNanos(0)).isEqualTo(1_000_000_000L);
        assertThat(schedule.intendedNanos(1)).isEqualTo(1_025_000_000L);
        assertThat(schedule.intendedNanos(40)).isEqualTo(2_000_000_000L);
        // no drift: each is due at i / rate from the start, not after a sum of rounded intervals
        assertThat(new ArrivalSchedule(0, 3).intendedNanos(3)).isEqualTo(1_000_000_000L);
        assertThat(new ArrivalSchedule(0, 3).intendedNanos(1)).isEqualTo(333_333_333L);
        assertThat(new ArrivalSchedule(0, 3).intendedNanos(30_000)).isEqualTo(10_000 * 1_000_000_000L);
    }

    @Test
    void aPhaseSendsTheRequestsDueBeforeItsEnd() {
        assertThat(new ArrivalSchedule(0, 40).requestsIn(Duration.ofSeconds(30))).isEqualTo(1200);
        assertThat(new ArrivalSchedule(0, 2.5).requestsIn(Duration.ofSeconds(1))).isEqualTo(3); // at 0, 0.4 and 0.8 s
        assertThat(new ArrivalSchedule(0, 2.5).requestsIn(Duration.ofMillis(800))).isEqualTo(2); // 0.8 s is the end, not in it
        ArrivalSchedule odd = new ArrivalSchedule(0, 37.3);
        long n = odd.requestsIn(Duration.ofSeconds(10));
        assertThat(odd.intendedNanos(n - 1)).isLessThan(Duration.ofSeconds(10).toNanos());
        assertThat(odd.intendedNanos(n)).isGreaterThanOrEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void theRateAskedIsHalfTheThroughputAndNeverNothing() {
        assertThat(ArrivalSchedule.rateFor(83.4)).isEqualTo(41.7);
        assertThat(ArrivalSchedule.rateFor(0)).isEqualTo(1);
        assertThatThrownBy(() -> new ArrivalSchedule(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArrivalSchedule(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void latencyCountsFromTheIntendedSendTimeSoQueueingIsInIt() {
        // due at 1.000 s, sent late at 1.200 s because the sender was held up, answered at 1.230 s: 230 ms, not 30
        assertThat(ArrivalSchedule.latencyMicros(1_000_000_000L, 1_230_000_000L)).isEqualTo(230_000);
        assertThat(ArrivalSchedule.latencyMicros(5_000L, 4_000L)).isZero();
    }
}
