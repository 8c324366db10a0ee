package org.vitals.inference.ecg.train;

/** A text progress bar for long training and evaluation runs. */
final class Progress {
  private Progress() {}

  static String bar(int done, int total) {
    int width = 30;
    int filled = total == 0 ? width : (int) ((long) done * width / total);
    return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "]";
  }
}
