package org.vitals.gateway.ingest.serial;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** One decoded record of the serial line protocol (docs/wire-format.md, "Records"). */
public sealed interface SerialFrame {
  /** Sensor status names in their canonical order (firmware/test-vectors/README.md). */
  List<String> STATUS_ORDER =
      List.of(
          "nan",
          "nres",
          "pos_inf",
          "neg_inf",
          "lead_off",
          "probe_off",
          "no_signal",
          "sensor_error",
          "questionable",
          "motion",
          "low_perfusion",
          "calibrating");

  /** The golden vectors' canonical decoded form. */
  String canonical();

  /** {@code H proto,dev,boot,fw}. */
  record Hello(int proto, String dev, long boot, String fw) implements SerialFrame {
    @Override
    public String canonical() {
      return "H proto=" + proto + " dev=" + dev + " boot=" + boot + " fw=" + fw;
    }
  }

  /** Common fields of data records. */
  sealed interface Data extends SerialFrame {
    long boot();

    long seq();

    long up();

    List<String> status();
  }

  /** {@code N boot,seq,up_ms,metric,status,value}; value null when empty. */
  record Numeric(long boot, long seq, long up, String metric, List<String> status, String value)
      implements Data {
    @Override
    public String canonical() {
      return "N boot="
          + boot
          + " seq="
          + seq
          + " up="
          + up
          + " metric="
          + metric
          + " st="
          + st(status)
          + " val="
          + (value == null ? "null" : value);
    }
  }

  /** {@code B boot,seq,up_ms,status,sys,dia,mean,pr} in mm[Hg] and /min. */
  record BloodPressure(
      long boot,
      long seq,
      long up,
      List<String> status,
      String sys,
      String dia,
      String mean,
      String pr)
      implements Data {
    @Override
    public String canonical() {
      return "B boot="
          + boot
          + " seq="
          + seq
          + " up="
          + up
          + " st="
          + st(status)
          + " sys="
          + n(sys)
          + " dia="
          + n(dia)
          + " mean="
          + n(mean)
          + " pr="
          + n(pr);
    }
  }

  /** {@code W boot,seq,up_ms,wave,mdc,period_ms,origin,factor,status,s1..sn}. */
  record Wave(
      long boot,
      long seq,
      long up,
      String wave,
      int mdc,
      String period,
      String origin,
      String factor,
      List<String> status,
      int[] samples)
      implements Data {
    @Override
    public String canonical() {
      return "W boot="
          + boot
          + " seq="
          + seq
          + " up="
          + up
          + " wave="
          + wave
          + " mdc="
          + mdc
          + " period="
          + period
          + " origin="
          + origin
          + " factor="
          + factor
          + " st="
          + st(status)
          + " n="
          + samples.length
          + " data="
          + Arrays.stream(samples).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }
  }

  private static String st(List<String> status) {
    return String.join("|", status);
  }

  private static String n(String v) {
    return v == null ? "null" : v;
  }
}
