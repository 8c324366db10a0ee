package org.vitals.gateway.ingest.sensors;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;

/** {@link RegisterDevice} over a Pi4J 2 I²C device (bus 1 on a Raspberry Pi). */
public class Pi4jRegisterDevice implements RegisterDevice, AutoCloseable {
  private final I2C i2c;

  public Pi4jRegisterDevice(I2C i2c) {
    this.i2c = i2c;
  }

  /** Opens {@code address} on {@code bus} with the context's default I²C provider. */
  public static Pi4jRegisterDevice open(Context pi4j, String id, int bus, int address) {
    return new Pi4jRegisterDevice(
        pi4j.create(I2C.newConfigBuilder(pi4j).id(id).bus(bus).device(address).build()));
  }

  @Override
  public int read(int register) {
    // Pi4J returns the byte sign-extended on some providers: always mask.
    return i2c.readRegister(register) & 0xFF;
  }

  @Override
  public void write(int register, int value) {
    i2c.writeRegister(register, (byte) value);
  }

  @Override
  public void read(int register, byte[] buffer, int offset, int length) {
    int n = i2c.readRegister(register, buffer, offset, length);
    if (n >= 0 && n < length) {
      throw new IllegalStateException("I2C read of " + length + " bytes returned " + n);
    }
  }

  @Override
  public void write(int register, byte[] data) {
    i2c.writeRegister(register, data, 0, data.length);
  }

  public I2C i2c() {
    return i2c;
  }

  @Override
  public void close() {
    i2c.close();
  }
}
