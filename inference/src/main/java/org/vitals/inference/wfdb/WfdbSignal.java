package org.vitals.inference.wfdb;

/**
 * One signal line of a WFDB header: where the samples are and how to turn them into physical units
 * (PhysioNet "header(5)" format).
 *
 * @param fileName the signal file the samples are stored in
 * @param format the storage format (212 and 16 are supported)
 * @param gain analogue-to-digital units per physical unit (200 adu/mV in MIT-BIH)
 * @param baseline the sample value that corresponds to 0 physical units
 * @param units physical units, {@code mV} when the header does not say
 * @param adcResolution bits of the converter
 * @param adcZero the converter's zero value
 * @param initialValue the first sample's value (a check for readers)
 * @param checksum 16-bit sum of all samples (a check for readers)
 * @param description the lead or signal name, for example {@code MLII}
 */
public record WfdbSignal(
    String fileName,
    int format,
    double gain,
    int baseline,
    String units,
    int adcResolution,
    int adcZero,
    int initialValue,
    int checksum,
    String description) {

  /** The WFDB checksum of samples: their sum as a signed 16-bit number. */
  public static int checksumOf(int[] samples) {
    int sum = 0;
    for (int v : samples) {
      sum += v;
    }
    return (short) sum;
  }

  /** Converts a stored sample to physical units (for example millivolts). */
  public double toPhysical(int adu) {
    return (adu - baseline) / gain;
  }
}
