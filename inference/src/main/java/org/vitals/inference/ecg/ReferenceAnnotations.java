package org.vitals.inference.ecg;

import java.util.ArrayList;
import java.util.List;
import org.vitals.inference.wfdb.Annotation;
import org.vitals.inference.wfdb.AnnotationCodes;

/**
 * Reference beats, excluded segments and atrial fibrillation episodes taken from an MIT-BIH {@code
 * .atr} annotation list.
 *
 * @param beatSamples sample index of each reference beat (AAMI-mapped symbols only)
 * @param beatClasses AAMI class of each reference beat
 * @param excluded ventricular flutter/fibrillation segments ({@code [} to {@code ]}), which EC57
 *     leaves out of beat-by-beat scoring, as {@code [start, end]} pairs
 * @param afEpisodes reference AF episodes (rhythm {@code (AFIB}) as {@code [start, end)} pairs
 */
public record ReferenceAnnotations(
    int[] beatSamples, AamiClass[] beatClasses, List<long[]> excluded, List<long[]> afEpisodes) {

  /** Extracts the reference from annotations of a record of {@code length} samples. */
  public static ReferenceAnnotations from(List<Annotation> annotations, long length) {
    List<Integer> samples = new ArrayList<>();
    List<AamiClass> classes = new ArrayList<>();
    List<long[]> excluded = new ArrayList<>();
    List<long[]> af = new ArrayList<>();
    long vfStart = -1;
    long afStart = -1;
    for (Annotation a : annotations) {
      if (a.code() == AnnotationCodes.VF_ONSET) {
        vfStart = a.sample();
      } else if (a.code() == AnnotationCodes.VF_END && vfStart >= 0) {
        excluded.add(new long[] {vfStart, a.sample()});
        vfStart = -1;
      } else if (a.code() == AnnotationCodes.RHYTHM) {
        String rhythm = a.aux().strip();
        if (afStart >= 0 && !rhythm.equals("(AFIB")) {
          af.add(new long[] {afStart, a.sample()});
          afStart = -1;
        } else if (afStart < 0 && rhythm.equals("(AFIB")) {
          afStart = a.sample();
        }
      } else {
        var cls = AamiClass.fromMitSymbol(a.symbol());
        if (cls.isPresent()) {
          samples.add((int) a.sample());
          classes.add(cls.get());
        }
      }
    }
    if (vfStart >= 0) {
      excluded.add(new long[] {vfStart, length});
    }
    if (afStart >= 0) {
      af.add(new long[] {afStart, length});
    }
    return new ReferenceAnnotations(
        samples.stream().mapToInt(Integer::intValue).toArray(),
        classes.toArray(new AamiClass[0]),
        List.copyOf(excluded),
        List.copyOf(af));
  }

  /** True when {@code sample} lies in an excluded (ventricular flutter) segment. */
  public boolean isExcluded(long sample) {
    for (long[] e : excluded) {
      if (sample >= e[0] && sample <= e[1]) {
        return true;
      }
    }
    return false;
  }
}
