package org.vitals.gateway.summary;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How continuous numerics are stored (decision 0209; README "Numerics storage").
 *
 * @param storage {@code every-reading} (default: every reading an Observation, plus minute
 *     summaries) or {@code minute-summary} (minute summaries, plus the readings that are abnormal,
 *     not valid or a change: report by exception) ({@code VITALS_NUMERICS_STORAGE})
 * @param summaryGrace how long after a minute ends its summary waits for late readings ({@code
 *     VITALS_NUMERICS_SUMMARY_GRACE}, default 10 s)
 * @param normal the normal range per metric wire name, {@code low..high} (either side may be
 *     empty); a reading outside it is abnormal and stored at once in minute-summary mode. Defaults:
 *     the NEWS2 0-point bands ({@code VITALS_NUMERICS_NORMAL_HR} and so on)
 * @param abnormalEvery in minute-summary mode, while a stream stays abnormal in the same band, a
 *     reading is stored at most this often ({@code VITALS_NUMERICS_ABNORMAL_EVERY}; default 0:
 *     every abnormal reading); a change of band or status is always stored at once
 * @param summarySpread over how long a closed minute's summaries are written, in transactions of
 *     200 spread evenly, so that a ward's thousands of summaries do not reach the FHIR server in
 *     one burst ahead of the readings ({@code VITALS_NUMERICS_SUMMARY_SPREAD}, default 30 s;
 *     decision 0214)
 */
@ConfigurationProperties(prefix = "vitals.gateway.numerics")
public record NumericsSettings(
    String storage,
    Duration summaryGrace,
    Map<String, String> normal,
    Duration abnormalEvery,
    Duration summarySpread) {

  public NumericsSettings {
    storage = storage == null || storage.isBlank() ? "every-reading" : storage.trim();
    summaryGrace = summaryGrace == null ? Duration.ofSeconds(10) : summaryGrace;
    normal = normal == null ? Map.of() : Map.copyOf(normal);
    abnormalEvery = abnormalEvery == null ? Duration.ZERO : abnormalEvery;
    summarySpread = summarySpread == null ? Duration.ofSeconds(30) : summarySpread;
    Storage.parse(storage); // fail start-up on a typo, naming the setting
  }

  public Storage storageMode() {
    return Storage.parse(storage);
  }

  /** The two storage policies. */
  public enum Storage {
    EVERY_READING,
    MINUTE_SUMMARY;

    public static Storage parse(String s) {
      return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "every-reading" -> EVERY_READING;
        case "minute-summary" -> MINUTE_SUMMARY;
        default ->
            throw new IllegalArgumentException(
                "VITALS_NUMERICS_STORAGE must be every-reading or minute-summary, not '" + s + "'");
      };
    }
  }
}
