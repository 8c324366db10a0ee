package org.vitals.inference.wfdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.EcgTestData;

/** The WFDB reader against the whole shared DS1: header checks and the published counts. */
class MitdbSharedRecordsIT {

  @Test
  void everyDs1RecordDecodesToItsHeaderChecksumsAndKnownFirstSamples() throws Exception {
    Path dir = EcgTestData.sharedMitdb();
    WfdbReader.RecordList list = WfdbReader.listRecords(dir);
    assertThat(list.names()).hasSize(22);
    for (String name : list.names()) {
      WfdbRecord r = WfdbReader.read(dir, name);
      assertThat(r.length()).as(name).isEqualTo(650_000);
      for (int s = 0; s < r.signalCount(); s++) {
        WfdbSignal spec = r.header().signals().get(s);
        assertThat(r.samples()[s][0]).as(name + " first sample").isEqualTo(spec.initialValue());
        assertThat(WfdbSignal.checksumOf(r.samples()[s]))
            .as(name + " checksum")
            .isEqualTo(spec.checksum());
      }
    }
    // record 101 as PhysioNet's rdsamp prints it: first frame 955, 992
    WfdbRecord r101 = WfdbReader.read(dir, "101");
    assertThat(r101.samples()[0][0]).isEqualTo(955);
    assertThat(r101.samples()[1][0]).isEqualTo(992);
  }

  @Test
  void ds1BeatCountsMatchTheDeChazalTable() throws Exception {
    Path dir = EcgTestData.sharedMitdb();
    Map<AamiClass, Integer> counts = new EnumMap<>(AamiClass.class);
    for (String name : WfdbReader.listRecords(dir).names()) {
      for (Annotation a : AnnotationReader.read(dir, name, "atr")) {
        AamiClass.fromMitSymbol(a.symbol()).ifPresent(c -> counts.merge(c, 1, Integer::sum));
      }
    }
    // de Chazal et al. 2004, DS1: N 45,866, S 944, V 3,788, F 415, Q 8
    assertThat(counts)
        .containsEntry(AamiClass.N, 45_866)
        .containsEntry(AamiClass.S, 944)
        .containsEntry(AamiClass.V, 3_788)
        .containsEntry(AamiClass.F, 415)
        .containsEntry(AamiClass.Q, 8);
  }
}
