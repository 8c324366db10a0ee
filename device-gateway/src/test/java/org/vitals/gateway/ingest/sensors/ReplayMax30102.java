package org.vitals.gateway.ingest.sensors;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A MAX30102 register model that replays a recorded red/IR sample stream through its 32-deep FIFO
 * (write pointer advances as samples "arrive", read pointer as FIFO_DATA is read, overflow
 * counted), so the driver is tested against the chip's register behaviour, not a mocked method.
 */
final class ReplayMax30102 implements RegisterDevice {
  private final Map<Integer, Integer> regs = new HashMap<>();
  private final Deque<Max30102.Sample> pending;
  private final Deque<Integer> fifoBytes = new ArrayDeque<>();
  private int fifoCount;
  private int overflow;
  private int byteInSample;

  ReplayMax30102(List<Max30102.Sample> stream) {
    this.pending = new ArrayDeque<>(stream);
    regs.put(Max30102.PART_ID, 0x15);
  }

  /** {@code n} more samples are measured by the chip. */
  void arrive(int n) {
    for (int i = 0; i < n && !pending.isEmpty(); i++) {
      Max30102.Sample s = pending.removeFirst();
      if (fifoCount == 32) {
        overflow = Math.min(31, overflow + 1);
        continue;
      }
      for (int v : new int[] {s.red(), s.ir()}) {
        fifoBytes.addLast((v >> 16) & 0x03);
        fifoBytes.addLast((v >> 8) & 0xFF);
        fifoBytes.addLast(v & 0xFF);
      }
      fifoCount++;
    }
  }

  boolean exhausted() {
    return pending.isEmpty();
  }

  @Override
  public int read(int register) {
    return switch (register) {
      case Max30102.FIFO_WR_PTR -> fifoCount % 32; // read pointer kept at 0 + consumed
      case Max30102.FIFO_RD_PTR -> 0;
      case Max30102.OVF_COUNTER -> {
        int o = overflow;
        overflow = 0;
        yield o;
      }
      case Max30102.MODE_CONFIG -> regs.getOrDefault(register, 0) & ~0x40; // RESET self-clears
      default -> regs.getOrDefault(register, 0);
    };
  }

  @Override
  public void write(int register, int value) {
    regs.put(register, value & 0xFF);
  }

  @Override
  public void read(int register, byte[] buffer, int offset, int length) {
    if (register != Max30102.FIFO_DATA) {
      throw new IllegalArgumentException("burst read of register " + register);
    }
    for (int i = 0; i < length; i++) {
      Integer b = fifoBytes.pollFirst();
      if (b == null) {
        throw new IllegalStateException("read past the FIFO's content");
      }
      buffer[offset + i] = (byte) (int) b;
      if (++byteInSample == 6) {
        byteInSample = 0;
        fifoCount--;
      }
    }
  }

  int register(int r) {
    return regs.getOrDefault(r, -1);
  }
}
