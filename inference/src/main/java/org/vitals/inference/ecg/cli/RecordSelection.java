package org.vitals.inference.ecg.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vitals.inference.ecg.MitRecord;
import org.vitals.inference.wfdb.WfdbReader;

/** Which records of a WFDB folder a command works on, with the notes the user should see. */
final class RecordSelection {
  private RecordSelection() {}

  /**
   * The records to use: {@code --records} when given, else {@code DIR/RECORDS}, else every header
   * in DIR (said on stderr); paced records are dropped when {@code dropPaced}.
   */
  static List<String> select(Path dir, List<String> requested, boolean dropPaced, PrintStream err)
      throws IOException {
    List<String> names;
    if (requested != null) {
      names = requested;
    } else {
      WfdbReader.RecordList list = WfdbReader.listRecords(dir);
      if (!list.fromRecordsFile()) {
        err.println(
            "note: "
                + dir.resolve("RECORDS")
                + " not found; using every *.hea in the folder ("
                + list.names().size()
                + " records)");
      }
      names = list.names();
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no WFDB record found in " + dir);
    }
    if (!dropPaced) {
      return names;
    }
    List<String> kept = new ArrayList<>();
    for (String n : names) {
      if (MitRecord.PACED.contains(n)) {
        err.println("note: paced record " + n + " excluded (AAMI EC57)");
      } else {
        kept.add(n);
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException("every selected record is paced; nothing to evaluate");
    }
    return kept;
  }
}
