package org.vitals.gateway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a recording for replay, and moving time stamps, without a broker. */
class ReplayTest {
  @Test
  void retimeMovesOnlyTheTimeStamp() {
    String p = "{\"v\":1,\"dev\":\"m\",\"seq\":7,\"ts\":1000,\"metric\":\"hr\",\"val\":72.0}";
    assertEquals(
        "{\"v\":1,\"dev\":\"m\",\"seq\":7,\"ts\":61000,\"metric\":\"hr\",\"val\":72.0}",
        new String(
            Replay.retime(p.getBytes(StandardCharsets.UTF_8), 60_000), StandardCharsets.UTF_8));
  }

  @Test
  void anNdjsonFileGivesItsMessagesInTimeOrderAndSkipsRejectedLines() throws Exception {
    Path f = Files.createTempFile("replay", ".ndjson");
    Files.writeString(
        f,
        String.join(
            "\n",
            "{\"rtMs\":2000,\"stream\":\"mqtt\",\"topic\":\"vitals/v1/g/d/hr\",\"payload\":\"B\",\"qos\":1}",
            "{\"rtMs\":1500,\"stream\":\"serial\",\"line\":\"$N*0000\",\"rejected\":\"bad-crc\"}",
            "{\"rtMs\":1000,\"stream\":\"mqtt\",\"topic\":\"vitals/v1/g/d/status\",\"payloadBase64\":\"/w==\",\"qos\":1,\"retained\":true}",
            ""));
    List<Replay.Message> m = Replay.load(f);
    assertEquals(2, m.size());
    assertEquals("vitals/v1/g/d/status", m.get(0).topic());
    assertEquals((byte) 0xFF, m.get(0).payload()[0]);
    assertEquals(true, m.get(0).retained());
    assertEquals("B", new String(m.get(1).payload(), StandardCharsets.UTF_8));
  }

  @Test
  void optionsSayWhatIsMissingOrWrong() {
    assertThrows(
        IllegalArgumentException.class, () -> Replay.parse(new String[] {"--replay", "x"}));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Replay.parse(
                    new String[] {"--replay", "x", "--mqtt", "tcp://h:1", "--speed", "-2"}));
    assertEquals(
        "--speed must be a factor >= 0 (0: as fast as possible), not '-2'", e.getMessage());
  }
}
