package org.vitals.gateway.ingest.sensors;

import java.util.ArrayList;
import java.util.List;

/**
 * MAX30102 pulse oximeter (I²C 0x57) driver: configuration, FIFO reading in SpO2 mode (red then IR,
 * 18-bit samples). Register map, reference init (Maxim RD117: 100 Hz with 4-sample averaging = 25
 * samples/s) and FIFO arithmetic: ../shared/reference/standards-and-codes.md §10.1.
 */
public class Max30102 {
  public static final int ADDRESS = 0x57;
  public static final int INT_STATUS1 = 0x00;
  public static final int INT_ENABLE1 = 0x02;
  public static final int INT_ENABLE2 = 0x03;
  public static final int FIFO_WR_PTR = 0x04;
  public static final int OVF_COUNTER = 0x05;
  public static final int FIFO_RD_PTR = 0x06;
  public static final int FIFO_DATA = 0x07;
  public static final int FIFO_CONFIG = 0x08;
  public static final int MODE_CONFIG = 0x09;
  public static final int SPO2_CONFIG = 0x0A;
  public static final int LED1_PA = 0x0C;
  public static final int LED2_PA = 0x0D;
  public static final int PILOT_PA = 0x10;
  public static final int PART_ID = 0xFF;
  public static final int PART_ID_VALUE = 0x15;
  private static final int FIFO_DEPTH = 32;

  /** Burst reads stay within small I²C buffers and whole samples (6 bytes). */
  private static final int CHUNK = 30;

  /** Register values; the defaults are the Maxim RD117 reference settings (25 samples/s). */
  public record Config(
      int fifoConfig, int spo2Config, int redCurrent, int irCurrent, int pilot, boolean swapRedIr) {
    public static Config reference() {
      return new Config(0x4F, 0x27, 0x24, 0x24, 0x7F, false);
    }

    /** Samples per second after averaging: SR (SPO2_CONFIG[4:2]) / SMP_AVE (FIFO_CONFIG[7:5]). */
    public double sampleRate() {
      int[] rates = {50, 100, 200, 400, 800, 1000, 1600, 3200};
      int avg = 1 << Math.min(5, (fifoConfig >> 5) & 0x07);
      return rates[(spo2Config >> 2) & 0x07] / (double) avg;
    }
  }

  /** One FIFO sample: the red and IR ADC counts (0..262143). */
  public record Sample(int red, int ir) {}

  /** Samples read plus how many the chip dropped because the FIFO was full. */
  public record FifoRead(List<Sample> samples, int lost) {}

  private final RegisterDevice dev;
  private Config config = Config.reference();

  public Max30102(RegisterDevice dev) {
    this.dev = dev;
  }

  /** Resets the chip, checks PART_ID and writes the configuration in SpO2 mode. */
  public void configure(Config c) {
    int part = dev.read(PART_ID);
    if (part != PART_ID_VALUE) {
      throw new IllegalStateException(
          String.format("PART_ID is 0x%02X, expected 0x15 (a MAX30100 reads 0x11)", part));
    }
    dev.write(MODE_CONFIG, 0x40); // RESET, self-clearing
    boolean cleared = false;
    for (int i = 0; i < 100 && !cleared; i++) {
      cleared = (dev.read(MODE_CONFIG) & 0x40) == 0;
      if (!cleared) {
        sleep(1);
      }
    }
    if (!cleared) {
      throw new IllegalStateException("MAX30102 did not leave reset within 100 ms");
    }
    dev.read(INT_STATUS1); // reading clears pending interrupts
    dev.write(INT_ENABLE1, 0xC0); // A_FULL + PPG_RDY
    dev.write(INT_ENABLE2, 0x00);
    dev.write(FIFO_WR_PTR, 0);
    dev.write(OVF_COUNTER, 0);
    dev.write(FIFO_RD_PTR, 0);
    dev.write(FIFO_CONFIG, c.fifoConfig());
    dev.write(MODE_CONFIG, 0x03); // SpO2 mode: red + IR
    dev.write(SPO2_CONFIG, c.spo2Config());
    dev.write(LED1_PA, c.redCurrent());
    dev.write(LED2_PA, c.irCurrent());
    dev.write(PILOT_PA, c.pilot());
    this.config = c;
  }

  public Config config() {
    return config;
  }

  /** Reads every unread FIFO sample: n = (WR_PTR − RD_PTR) mod 32 (32 when full with overflow). */
  public FifoRead readFifo() {
    int lost = dev.read(OVF_COUNTER) & 0x1F;
    int wr = dev.read(FIFO_WR_PTR) & 0x1F;
    int rd = dev.read(FIFO_RD_PTR) & 0x1F;
    int n = Math.floorMod(wr - rd, FIFO_DEPTH);
    if (n == 0 && lost > 0) {
      n = FIFO_DEPTH;
    }
    byte[] bytes = new byte[n * 6];
    for (int off = 0; off < bytes.length; off += CHUNK) {
      dev.read(FIFO_DATA, bytes, off, Math.min(CHUNK, bytes.length - off));
    }
    return new FifoRead(decode(bytes, config.swapRedIr()), lost);
  }

  /**
   * FIFO bytes to samples: 3 bytes per LED, MSB first, 18 bits; LED1 (red) then LED2 (IR), unless
   * the board has them swapped. A trailing partial sample is ignored.
   */
  public static List<Sample> decode(byte[] bytes, boolean swapRedIr) {
    List<Sample> out = new ArrayList<>(bytes.length / 6);
    for (int i = 0; i + 6 <= bytes.length; i += 6) {
      int a =
          ((bytes[i] & 0xFF) << 16 | (bytes[i + 1] & 0xFF) << 8 | (bytes[i + 2] & 0xFF)) & 0x3FFFF;
      int b =
          ((bytes[i + 3] & 0xFF) << 16 | (bytes[i + 4] & 0xFF) << 8 | (bytes[i + 5] & 0xFF))
              & 0x3FFFF;
      out.add(swapRedIr ? new Sample(b, a) : new Sample(a, b));
    }
    return out;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
