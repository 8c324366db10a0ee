package org.vitals.inference.wfdb;

/** WFDB annotation codes and their mnemonics (PhysioNet "ecgcodes.h"). */
public final class AnnotationCodes {

  public static final int NORMAL = 1;
  public static final int RHYTHM = 28;
  public static final int VF_ONSET = 32;
  public static final int VF_END = 33;
  public static final int NOISE = 14;

  private static final String[] SYMBOLS = new String[50];

  static {
    String[] table = {
      "", "N", "L", "R", "a", "V", "F", "J", "A", "S", "E", "j", "/", "Q", "~", "", "|", "", "s",
      "T", "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u", "?", "!", "[", "]", "e", "n", "@",
      "x", "f", "(", ")", "r"
    };
    for (int i = 0; i < SYMBOLS.length; i++) {
      SYMBOLS[i] = i < table.length && !table[i].isEmpty() ? table[i] : "[" + i + "]";
    }
  }

  private AnnotationCodes() {}

  /** The mnemonic of a code; unknown codes read as {@code [code]}. */
  public static String symbol(int code) {
    return code >= 0 && code < SYMBOLS.length ? SYMBOLS[code] : "[" + code + "]";
  }

  /** The code of a mnemonic, or -1. */
  public static int code(String symbol) {
    for (int i = 0; i < SYMBOLS.length; i++) {
      if (SYMBOLS[i].equals(symbol)) {
        return i;
      }
    }
    return -1;
  }

  /** True for the codes WFDB's {@code isqrs} marks as beats. */
  public static boolean isBeat(int code) {
    return (code >= 1 && code <= 13)
        || code == 25
        || code == 30
        || code == 34
        || code == 35
        || code == 38
        || code == 41;
  }
}
