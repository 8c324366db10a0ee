package org.vitals.gateway.collector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.simulator.MitBihRecord;
import org.vitals.inference.wfdb.WfdbReader;
import org.vitals.inference.wfdb.WfdbRecord;

/**
 * ECG chunks (MIT-BIH record 101 resampled to 250 Hz, as the simulator's ECG node sends them)
 * become format-16 WFDB records that the inference module's reader reads back sample for sample,
 * with a lost chunk as invalid samples, an overlap dropped and a rotation by size.
 */
class WfdbEcgWriterTest {
  static final Path MITDB =
      Path.of(System.getProperty("vitals.data.dir", "../../shared/data")).resolve("mitdb");

  @Test
  void chunksBecomeWfdbRecordsTheInferenceReaderReadsBackSampleExact() throws Exception {
    MitBihRecord mit = MitBihRecord.read(MITDB, "101");
    int[] signal = mit.resampled(250, 0, 3000);
    for (int i = 0; i < signal.length; i++) {
      signal[i] -= mit.baseline();
    }
    Path dir = Files.createTempDirectory("wfdb-writer");
    Manifest manifest = new Manifest(dir, Instant.now(), new ObjectMapper().createObjectNode());
    // 2000 samples (4000 bytes) per record: the 3000 samples span two records.
    WfdbEcgWriter w =
        new WfdbEcgWriter(manifest, new Rotation(4000, null), "gw-1", "uno-ecg-01", 131329);
    WfdbEcgWriter.Settings s =
        new WfdbEcgWriter.Settings(
            7, new BigDecimal("4"), new BigDecimal("0.005"), BigDecimal.ZERO);
    long t0 = 1_764_230_400_000L;
    int chunk = 25;
    int[] expected = signal.clone();
    for (int k = 0; k * chunk < signal.length; k++) {
      int from = k * chunk;
      if (k == 10) {
        Arrays.fill(expected, from, from + chunk, WfdbReader.invalidSampleValue(16));
        continue; // a lost line: a gap of 25 samples
      }
      int[] c = Arrays.copyOfRange(signal, from, from + chunk);
      w.append(s, k, 1000 + from * 4L, t0 + from * 4L, c, t0 + from * 4L + 100);
      if (k == 20) {
        // the same chunk again (a resend): dropped as an overlap
        w.append(s, k, 1000 + from * 4L, t0 + from * 4L, c, t0 + from * 4L + 100);
      }
    }
    w.close();
    JsonNode m = new ObjectMapper().readTree(dir.resolve(Manifest.FILE).toFile());
    assertEquals(2, m.get("files").size(), m.toPrettyString());
    int[] read = new int[0];
    long gaps = 0;
    for (JsonNode f : m.get("files")) {
      WfdbRecord r = WfdbReader.read(dir, f.get("record").asText());
      assertEquals(250.0, r.samplingFrequency());
      assertEquals(200.0, r.header().signals().get(0).gain());
      assertEquals(0, r.header().signals().get(0).baseline());
      assertEquals(16, r.header().signals().get(0).format());
      assertEquals(f.get("count").asLong(), r.length());
      assertEquals(
          WfdbEcgWriter.sha256(dir.resolve(f.get("file").asText())), f.get("sha256").asText());
      read = IntStream.concat(Arrays.stream(read), Arrays.stream(r.samples()[0])).toArray();
      gaps += f.get("gapSamples").asLong();
    }
    assertArrayEquals(expected, read);
    assertEquals(25, gaps);
    assertEquals(chunk, m.get("files").get(0).get("overlapSamplesDropped").asLong());
    assertEquals(Instant.ofEpochMilli(t0).toString(), m.get("files").get(0).get("from").asText());
  }
}
