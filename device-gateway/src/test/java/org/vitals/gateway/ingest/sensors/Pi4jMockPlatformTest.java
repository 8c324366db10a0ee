package org.vitals.gateway.ingest.sensors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Smoke test on Pi4J's mock platform: the drivers go through Pi4J's I²C API. Pi4J's mock I²C keeps
 * a byte queue per register (writes append, reads take the oldest), which the test seeds with what
 * the chip would answer and reads back to see what the driver wrote.
 */
class Pi4jMockPlatformTest {
  Context pi4j;

  @BeforeEach
  void start() {
    pi4j =
        Pi4J.newContextBuilder().add(new MockPlatform()).add(MockI2CProvider.newInstance()).build();
  }

  @AfterEach
  void stop() {
    pi4j.shutdown();
  }

  @Test
  void max30102ConfiguresAndReadsItsFifoThroughPi4j() {
    Pi4jRegisterDevice dev = Pi4jRegisterDevice.open(pi4j, "max30102", 1, Max30102.ADDRESS);
    I2C i2c = dev.i2c();
    i2c.writeRegister(Max30102.PART_ID, (byte) 0x15);
    i2c.writeRegister(Max30102.MODE_CONFIG, (byte) 0x00); // answer to the reset poll
    i2c.writeRegister(Max30102.INT_STATUS1, (byte) 0x00);
    Max30102 driver = new Max30102(dev);
    driver.configure(Max30102.Config.reference());
    // What the driver wrote, in order per register.
    assertEquals(0x40, i2c.readRegister(Max30102.MODE_CONFIG) & 0xFF, "reset");
    assertEquals(0x03, i2c.readRegister(Max30102.MODE_CONFIG) & 0xFF, "SpO2 mode");
    assertEquals(0x4F, i2c.readRegister(Max30102.FIFO_CONFIG) & 0xFF);
    assertEquals(0x27, i2c.readRegister(Max30102.SPO2_CONFIG) & 0xFF);
    assertEquals(0x24, i2c.readRegister(Max30102.LED1_PA) & 0xFF);
    assertEquals(0x24, i2c.readRegister(Max30102.LED2_PA) & 0xFF);
    assertEquals(0xC0, i2c.readRegister(Max30102.INT_ENABLE1) & 0xFF);
    for (int r : new int[] {Max30102.FIFO_WR_PTR, Max30102.OVF_COUNTER, Max30102.FIFO_RD_PTR}) {
      assertEquals(0, i2c.readRegister(r), "FIFO pointer cleared");
    }
    // Two samples in the FIFO: WR_PTR 2, RD_PTR 0, no overflow; 12 bytes of data (golden vector).
    i2c.writeRegister(Max30102.OVF_COUNTER, (byte) 0);
    i2c.writeRegister(Max30102.FIFO_WR_PTR, (byte) 2);
    i2c.writeRegister(Max30102.FIFO_RD_PTR, (byte) 0);
    byte[] fifo = java.util.HexFormat.of().parseHex("01E2400249F003FFFF000001");
    i2c.writeRegister(Max30102.FIFO_DATA, fifo, 0, fifo.length);
    Max30102.FifoRead read = driver.readFifo();
    assertEquals(
        List.of(new Max30102.Sample(123456, 150000), new Max30102.Sample(262143, 1)),
        read.samples());
  }

  @Test
  void ads1115WritesItsConfigMostSignificantByteFirstAndReadsSignedCounts() {
    Pi4jRegisterDevice dev = Pi4jRegisterDevice.open(pi4j, "ads1115", 1, Ads1115.ADDRESS);
    Ads1115 adc = new Ads1115(dev);
    adc.configure();
    assertEquals(0x42, dev.i2c().readRegister(Ads1115.CONFIG) & 0xFF);
    assertEquals(0xE0, dev.i2c().readRegister(Ads1115.CONFIG) & 0xFF);
    dev.i2c().writeRegister(Ads1115.CONVERSION, new byte[] {(byte) 0xFF, (byte) 0x38}, 0, 2);
    assertEquals(-200, adc.read());
  }
}
