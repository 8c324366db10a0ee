package org.vitals.gateway;

import java.nio.charset.StandardCharsets;

/** Wire-format v1 sample payloads shared by the tests. */
public final class TestReadings {
  private TestReadings() {}

  public static String topic(String dev, String metric) {
    return "vitals/v1/gw-test/" + dev + "/" + metric;
  }

  public static byte[] numeric(String dev, long seq, String metric, String val, String unit) {
    return String.format(
            "{\"v\":1,\"dev\":\"%s\",\"boot\":1,\"seq\":%d,\"ts\":1732680000123,\"tsq\":\"ntp\",\"metric\":\"%s\",\"val\":%s,\"unit\":\"%s\",\"st\":[\"valid\"]}",
            dev, seq, metric, val, unit)
        .getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] bp(String dev, long seq, String sys, String dia, String mean, String unit) {
    return String.format(
            "{\"v\":1,\"dev\":\"%s\",\"boot\":1,\"seq\":%d,\"ts\":1732680000123,\"metric\":\"bp\",\"unit\":\"%s\",\"cmp\":{\"150021\":%s,\"150022\":%s,\"150023\":%s},\"pr\":{\"val\":72,\"unit\":\"/min\"}}",
            dev, seq, unit, sys, dia, mean)
        .getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] ecg(String dev, long seq, long ts, int samples) {
    StringBuilder d = new StringBuilder();
    for (int i = 0; i < samples; i++) {
      d.append(i == 0 ? "" : ",").append((int) (200 * Math.sin(i / 10.0)));
    }
    return String.format(
            "{\"v\":1,\"dev\":\"%s\",\"boot\":1,\"seq\":%d,\"ts\":%d,\"metric\":\"ecg\",\"unit\":\"mV\",\"period\":4,\"origin\":0,\"factor\":0.005,\"leads\":[{\"mdc\":131330,\"data\":[%s]}]}",
            dev, seq, ts, d)
        .getBytes(StandardCharsets.UTF_8);
  }
}
