package org.vitals.cds.hooks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.vitals.cds.clinical.AdmissionBaselineRule;
import org.vitals.cds.clinical.ArrhythmiaRule;
import org.vitals.cds.clinical.BloodPressureRule;
import org.vitals.cds.clinical.DataFreshnessRule;
import org.vitals.cds.clinical.EcgStrip;
import org.vitals.cds.clinical.Finding;
import org.vitals.cds.clinical.GlucoseRule;
import org.vitals.cds.clinical.News2Rule;
import org.vitals.cds.clinical.OximetryRule;
import org.vitals.cds.clinical.PatientData;
import org.vitals.inference.ecg.EcgAnalyzer;
import org.vitals.inference.glucose.GlucoseForecaster;

/**
 * Runs the rules over a patient's data: the findings of {@code patient-view} (NEWS2, arrhythmia,
 * desaturation, blood pressure, glucose, stale data) and of {@code encounter-start} (admission
 * baseline, stale data), most urgent first. Holds the two models (loaded once) and caches ECG
 * findings per set of strips, since the same strips are asked about by every view of the patient.
 */
@Component
public class DecisionSupport implements AutoCloseable {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(DecisionSupport.class);

  private final GlucoseForecaster forecaster;
  private final EcgAnalyzer ecg;
  private final String ecgUnavailable;
  private final Map<String, Optional<Finding>> ecgCache =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<Finding>> eldest) {
              return size() > 2000;
            }
          });

  public DecisionSupport() throws IOException {
    this.forecaster = GlucoseForecaster.loadDefault();
    EcgAnalyzer analyzer = null;
    String why = null;
    try {
      analyzer = EcgAnalyzer.withDefaultModel();
    } catch (RuntimeException e) {
      // The other cards do not depend on the ECG model: serve them and say what is missing.
      why = e.getMessage();
      log.error("ECG beat classifier could not be loaded; arrhythmia cards are off: {}", why);
    }
    this.ecg = analyzer;
    this.ecgUnavailable = why;
  }

  /** The patient-view findings, most urgent first. */
  public List<Finding> patientView(PatientData data) {
    List<Finding> out = new ArrayList<>();
    News2Rule.assess(data).ifPresent(out::add);
    arrhythmia(data).ifPresent(out::add);
    OximetryRule.assess(data).ifPresent(out::add);
    BloodPressureRule.assess(data).ifPresent(out::add);
    GlucoseRule.assess(data, forecaster).ifPresent(out::add);
    DataFreshnessRule.assess(data).ifPresent(out::add);
    out.sort(Comparator.comparing(Finding::indicator).reversed());
    return out;
  }

  /** The encounter-start findings. */
  public List<Finding> encounterStart(PatientData data) {
    List<Finding> out = new ArrayList<>();
    out.add(AdmissionBaselineRule.assess(data));
    DataFreshnessRule.assess(data).ifPresent(out::add);
    out.sort(Comparator.comparing(Finding::indicator).reversed());
    return out;
  }

  private Optional<Finding> arrhythmia(PatientData data) {
    List<EcgStrip> strips = data.ecgStrips();
    if (strips.isEmpty()) {
      return Optional.empty();
    }
    if (ecg == null) {
      return Optional.of(
          new Finding(
              "ecg",
              Finding.Indicator.INFO,
              "ECG strips present but not analysed: the arrhythmia model is unavailable",
              "The ECG beat classifier could not be loaded ("
                  + ecgUnavailable
                  + "), so no"
                  + " arrhythmia findings are given for "
                  + strips.size()
                  + " strips.\n",
              org.vitals.cds.clinical.Guideline.ECG_MODEL,
              List.of()));
    }
    EcgStrip last = strips.get(strips.size() - 1);
    String key =
        data.patientId()
            + "|"
            + strips.size()
            + "|"
            + strips.get(0).start()
            + "|"
            + last.start()
            + "|"
            + last.observation()
            + "|"
            + data.context().betaBlocker();
    Optional<Finding> cached = ecgCache.get(key);
    if (cached != null) {
      return cached;
    }
    Optional<Finding> f = ArrhythmiaRule.assess(data, ecg);
    ecgCache.put(key, f);
    return f;
  }

  @Override
  public void close() {
    if (ecg != null) {
      ecg.close();
    }
  }
}
