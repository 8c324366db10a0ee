package org.vitals.inference.glucose;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The CGM readings of one person, in time order, without duplicate times. */
public record CgmTrace(String id, List<CgmReading> readings) {

  public CgmTrace {
    List<CgmReading> sorted = new ArrayList<>(readings);
    sorted.sort(Comparator.comparing(CgmReading::time));
    List<CgmReading> unique = new ArrayList<>(sorted.size());
    for (CgmReading r : sorted) {
      if (unique.isEmpty() || !unique.get(unique.size() - 1).time().equals(r.time())) {
        unique.add(r);
      }
    }
    readings = List.copyOf(unique);
  }

  /** Number of readings. */
  public int size() {
    return readings.size();
  }
}
