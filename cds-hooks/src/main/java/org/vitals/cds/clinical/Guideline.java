package org.vitals.cds.clinical;

/**
 * A source a rule rests on: a guideline or one of the project's model cards.
 *
 * @param label name shown on the card
 * @param url absolute URL, or a path under the service base for model cards ("/model-cards/x.md")
 * @param topic short code of what it covers
 */
public record Guideline(String label, String url, String topic) {

  public static final Guideline NEWS2 =
      new Guideline(
          "Royal College of Physicians: National Early Warning Score (NEWS) 2, 2017",
          "https://www.rcp.ac.uk/improving-care/resources/national-early-warning-score-news-2/",
          "news2");
  public static final Guideline BP =
      new Guideline(
          "2017 ACC/AHA blood pressure guideline (Whelton et al., Hypertension 2018;71:e13)",
          "https://doi.org/10.1161/HYP.0000000000000065",
          "blood-pressure");
  public static final Guideline OXYGEN =
      new Guideline(
          "BTS guideline for oxygen use in adults (Thorax 2017;72:i1); AASM 2012 desaturation rules",
          "https://doi.org/10.1136/thoraxjnl-2016-209729",
          "oxygen-saturation");
  public static final Guideline GLUCOSE_MODEL =
      new Guideline(
          "Vitals glucose forecaster model card; Time in Range consensus (Diabetes Care"
              + " 2019;42:1593)",
          "/model-cards/glucose-forecaster.md",
          "glucose");
  public static final Guideline TIME_IN_RANGE =
      new Guideline(
          "International Consensus on Time in Range (Battelino et al., Diabetes Care 2019;42:1593)",
          "https://doi.org/10.2337/dci19-0028",
          "glucose");
  public static final Guideline ECG_MODEL =
      new Guideline(
          "Vitals ECG beat classifier model card (AAMI EC57 classes); 2023 ACC/AHA AF guideline",
          "/model-cards/ecg-beat-classifier.md",
          "arrhythmia");
  public static final Guideline DATA_QUALITY =
      new Guideline(
          "Vitals monitoring rules: device silence and missing data (docs/cds-hooks.md)",
          "/docs/cds-hooks.md",
          "data-quality");
  public static final Guideline ACTIVITY =
      new Guideline(
          "WHO guidelines on physical activity and sedentary behaviour, 2020",
          "https://www.who.int/publications/i/item/9789240015128",
          "lifestyle");
}
