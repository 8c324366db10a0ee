/* Prints R-peak Se / +P of the firmware's ECG front end per MIT-BIH record and in total.
 * Usage: mitdb_report [fs]   (fs 250 default, or 500). Data folder: VITALS_SHARED_DATA. */
#include <stdio.h>
#include <stdlib.h>

#include "mitdb_eval.h"

int main(int argc, char **argv) {
  int fs = argc > 1 ? atoi(argv[1]) : 250;
  const char *dir = mitdb_dir();
  char names[64][8];
  int n = mitdb_records(dir, names, 64);
  if (n == 0) {
    fprintf(stderr, "no MIT-BIH records in %s (set VITALS_SHARED_DATA)\n", dir);
    return 2;
  }
  long tp = 0, fn = 0, fp = 0;
  printf("record  beats     TP    FN    FP   Se%%     +P%%    (fs %d Hz)\n", fs);
  for (int i = 0; i < n; i++) {
    qrs_score s;
    char err[256];
    if (mitdb_eval_record(dir, names[i], fs, &s, err, sizeof err) != 0) {
      fprintf(stderr, "%s\n", err);
      return 1;
    }
    printf("%-6s %6ld %6ld %5ld %5ld  %6.2f  %6.2f\n", names[i], s.ref_beats, s.tp, s.fn, s.fp,
           100.0 * s.tp / (double)(s.tp + s.fn), 100.0 * s.tp / (double)(s.tp + s.fp));
    tp += s.tp;
    fn += s.fn;
    fp += s.fp;
  }
  printf("gross  %6ld %6ld %5ld %5ld  %6.2f  %6.2f\n", tp + fn, tp, fn, fp,
         100.0 * tp / (double)(tp + fn), 100.0 * tp / (double)(tp + fp));
  return 0;
}
