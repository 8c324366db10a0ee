package org.vitals.inference.wfdb;

/**
 * A WFDB record in memory: its header and the stored samples, {@code samples[signal][i]} in
 * analogue-to-digital units.
 */
public record WfdbRecord(WfdbHeader header, int[][] samples) {

  public int signalCount() {
    return samples.length;
  }

  public int length() {
    return samples.length == 0 ? 0 : samples[0].length;
  }

  public double samplingFrequency() {
    return header.samplingFrequency();
  }

  /**
   * One signal in physical units (millivolts for ECG leads). WFDB's "invalid sample" value (-2048
   * in format 212, -32768 in format 16), which marks a gap, becomes NaN.
   */
  public double[] physical(int signal) {
    WfdbSignal spec = header.signals().get(signal);
    int invalid = WfdbReader.invalidSampleValue(spec.format());
    int[] adu = samples[signal];
    double[] out = new double[adu.length];
    for (int i = 0; i < adu.length; i++) {
      out[i] = adu[i] == invalid ? Double.NaN : spec.toPhysical(adu[i]);
    }
    return out;
  }

  /** Every signal in physical units, {@code [signal][sample]}. */
  public double[][] physical() {
    double[][] out = new double[samples.length][];
    for (int s = 0; s < samples.length; s++) {
      out[s] = physical(s);
    }
    return out;
  }
}
