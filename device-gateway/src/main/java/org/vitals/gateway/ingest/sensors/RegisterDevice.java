package org.vitals.gateway.ingest.sensors;

/**
 * The small register interface the sensor drivers are written against: an I²C device with 8-bit
 * registers. Pi4J implements it on a Raspberry Pi; tests replay recorded sample streams through it.
 */
public interface RegisterDevice {
  /** Reads one register (0..255). */
  int read(int register);

  void write(int register, int value);

  /**
   * Burst-reads {@code length} bytes starting at {@code register} (auto-increment or FIFO port).
   */
  void read(int register, byte[] buffer, int offset, int length);

  /** Writes several bytes to {@code register} (e.g. a 16-bit register, most significant first). */
  default void write(int register, byte[] data) {
    for (byte b : data) {
      write(register, b & 0xFF);
    }
  }
}
