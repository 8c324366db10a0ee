package org.vitals.gateway.measurement;

import java.math.BigDecimal;
import java.util.List;

/** Raw waveform samples of one or more leads: physical value = origin + factor × sample. */
public record Waveform(
    BigDecimal periodMillis,
    BigDecimal origin,
    BigDecimal factor,
    BigDecimal lowerLimit,
    BigDecimal upperLimit,
    List<Lead> leads) {

  /** One lead's samples, identified by its MDC code. */
  public record Lead(int mdc, int[] samples) {}

  public int sampleCount() {
    return leads.get(0).samples().length;
  }
}
