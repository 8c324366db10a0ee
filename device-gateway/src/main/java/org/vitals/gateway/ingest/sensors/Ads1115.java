package org.vitals.gateway.ingest.sensors;

/**
 * ADS1115 16-bit ADC (I²C 0x48–0x4B) as the ECG front end's digitiser on a Raspberry Pi (the AD8232
 * output on AIN0). Config {@code 0x42E0}: continuous AIN0–GND, ±4.096 V, 860 samples/s
 * (../shared/reference/standards-and-codes.md §10.2); registers are 16-bit, most significant byte
 * first. One count is 4.096 V / 32768 = 0.125 mV at the ADC input.
 */
public class Ads1115 {
  public static final int ADDRESS = 0x48;
  public static final int CONVERSION = 0x00;
  public static final int CONFIG = 0x01;
  public static final int CONTINUOUS_AIN0_4V096_860SPS = 0x42E0;
  public static final double MILLIVOLT_PER_COUNT = 0.125;

  private final RegisterDevice dev;

  public Ads1115(RegisterDevice dev) {
    this.dev = dev;
  }

  public void configure(int config) {
    dev.write(CONFIG, new byte[] {(byte) (config >> 8), (byte) config});
  }

  public void configure() {
    configure(CONTINUOUS_AIN0_4V096_860SPS);
  }

  /** The latest conversion, as signed counts. */
  public int read() {
    byte[] b = new byte[2];
    dev.read(CONVERSION, b, 0, 2);
    return (short) ((b[0] & 0xFF) << 8 | (b[1] & 0xFF));
  }

  /**
   * mV at the electrodes per ADC count: 0.125 mV divided by the front end's gain (the AD8232 in-amp
   * gain of 100 times the output stage; 1100 on the SparkFun SEN-12650 breakout).
   */
  public static double millivoltPerCount(double frontEndGain) {
    return MILLIVOLT_PER_COUNT / frontEndGain;
  }
}
