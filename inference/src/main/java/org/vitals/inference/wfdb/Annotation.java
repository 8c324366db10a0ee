package org.vitals.inference.wfdb;

/**
 * One annotation of an MIT-format annotation file.
 *
 * @param sample the sample index (time) of the annotation
 * @param code the WFDB annotation code (1 = N, 5 = V, 28 = rhythm change, ...)
 * @param subtype the {@code subtyp} field
 * @param channel the {@code chan} field
 * @param number the {@code num} field
 * @param aux auxiliary text, for example {@code (AFIB} on a rhythm change; empty when none
 */
public record Annotation(long sample, int code, int subtype, int channel, int number, String aux) {

  /** The annotation's mnemonic, for example {@code N}, {@code V}, {@code +}. */
  public String symbol() {
    return AnnotationCodes.symbol(code);
  }

  /** True when the annotation labels a QRS complex (a beat). */
  public boolean isBeat() {
    return AnnotationCodes.isBeat(code);
  }
}
