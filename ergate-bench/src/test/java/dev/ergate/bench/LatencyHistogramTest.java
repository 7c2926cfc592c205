package dev.ergate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesOfAUniformSpreadAreWithinThreePercent() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 10_000; micros++) {
            histogram.record(micros * 1_000);
        }
        assertThat(histogram.count()).isEqualTo(10_000);
        assertThat((double) histogram.percentileNanos(50)).isCloseTo(5_000_000, within(5_000_000 * 0.03));
        assertThat((double) histogram.percentileNanos(99)).isCloseTo(9_900_000, within(9_900_000 * 0.03));
        assertThat(histogram.percentileNanos(100)).isGreaterThanOrEqualTo(10_000_000);
    }

    @Test
    void aFewSlowOnesShowOnlyInTheTail() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 985; i++) {
            histogram.record(200_000);
        }
        for (int i = 0; i < 15; i++) {
            histogram.record(50_000_000);
        }
        assertThat((double) histogram.percentileNanos(50)).isCloseTo(200_000, within(200_000 * 0.03));
        assertThat((double) histogram.percentileNanos(99)).isCloseTo(50_000_000, within(50_000_000 * 0.03));
    }

    @Test
    void smallValuesAreExactAndNegativeOnesCountAsZero() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(-5);
        histogram.record(7);
        assertThat(histogram.percentileNanos(50)).isZero();
        assertThat(histogram.percentileNanos(100)).isEqualTo(7);
    }

    @Test
    void bucketsAreOrderedAndEachValueIsAtMostItsBucketsUpperEdge() {
        int previous = -1;
        for (long value = 0; value < 5_000_000_000L; value = value * 2 + 1 + value / 7) {
            int bucket = LatencyHistogram.bucketOf(value);
            assertThat(bucket).isGreaterThanOrEqualTo(previous);
            assertThat(LatencyHistogram.upperEdge(bucket)).isGreaterThanOrEqualTo(value);
            assertThat(LatencyHistogram.upperEdge(bucket)).isLessThanOrEqualTo(Math.max(value, value + value / 32 + 1));
            previous = bucket;
        }
    }

    @Test
    void emptyIsZeroAndABadPercentileIsRefused() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.percentileNanos(99)).isZero();
        assertThatThrownBy(() -> histogram.percentileNanos(0)).hasMessageContaining("percentile");
        assertThatThrownBy(() -> histogram.percentileNanos(101)).hasMessageContaining("101");
    }
}
