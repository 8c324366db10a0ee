package org.vitals.inference.glucose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ADA / International Consensus time-in-range metrics on constructed series. */
class TimeInRangeTest {

  @Test
  void rangesAndGmiOfAKnownSeries() {
    // 10 readings: 2 very low, 1 low, 4 in range (incl. both edges 70 and 180), 2 high, 1 very
    // high.
    TimeInRange t =
        TimeInRange.of(GlucoseFixtures.every5min(50, 53, 60, 70, 100, 150, 180, 181, 250, 300));
    assertThat(t.veryLowPercent()).isEqualTo(20.0);
    assertThat(t.lowPercent()).isEqualTo(10.0);
    assertThat(t.belowRangePercent()).isEqualTo(30.0);
    assertThat(t.inRangePercent()).isEqualTo(40.0);
    assertThat(t.highPercent()).isEqualTo(20.0);
    assertThat(t.veryHighPercent()).isEqualTo(10.0);
    double mean = (50 + 53 + 60 + 70 + 100 + 150 + 180 + 181 + 250 + 300) / 10.0;
    assertThat(t.meanMgdl()).isCloseTo(mean, within(1e-9));
    assertThat(t.gmiPercent()).isCloseTo(3.31 + 0.02392 * mean, within(1e-9));
    assertThat(t.wearPercent()).isEqualTo(100.0);
    assertThat(t.sufficient()).isFalse(); // 45 minutes, not 14 days
  }

  @Test
  void fourteenDaysOfFullWearAreSufficient() {
    TimeInRange t = TimeInRange.of(GlucoseFixtures.line(14 * 288 + 1, 120, 0));
    assertThat(t.days()).isCloseTo(14.0, within(1e-9));
    assertThat(t.sufficient()).isTrue();
    assertThat(t.inRangePercent()).isEqualTo(100.0);
    assertThat(t.cvPercent()).isZero();
  }

  @Test
  void tooFewReadingsAreAnError() {
    assertThatThrownBy(() -> TimeInRange.of(List.of())).hasMessageContaining("insufficient data");
    assertThatThrownBy(() -> TimeInRange.of(GlucoseFixtures.every5min(100)))
        .hasMessageContaining("insufficient data");
  }
}
