/* R-peak detection of the node's ECG front end on the MIT-BIH Arrhythmia Database records
 * in the shared data (ANSI/AAMI EC57 beat-by-beat rules, see mitdb_eval.h): sensitivity and
 * positive predictivity of at least 99 % each, over all records, at 250 and at 500 Hz. */
#include <stdio.h>
#include <stdlib.h>

#include "mitdb_eval.h"
#include "support.h"

static void score_all(int fs) {
  char dir[1100];
  snprintf(dir, sizeof dir, "%s/mitdb", shared_data_dir());
  char names[64][8];
  int n = mitdb_records(dir, names, 64);
  if (n == 0) {
    fail_msg("MIT-BIH records missing: no %s/SHA256SUMS with .hea entries. Set VITALS_SHARED_DATA "
             "to the shared data folder (default %s).", dir, VT_SHARED_DATA_DEFAULT);
  }
  long tp = 0, fn = 0, fp = 0;
  print_message("record  beats    TP   FN   FP    Se%%    +P%%   (%d Hz)\n", fs);
  for (int i = 0; i < n; i++) {
    qrs_score s;
    char err[512];
    if (mitdb_eval_record(dir, names[i], fs, &s, err, sizeof err) != 0) fail_msg("%s", err);
    assert_true(s.ref_beats > 500);
    print_message("%-6s %6ld %5ld %4ld %4ld %6.2f %6.2f\n", names[i], s.ref_beats, s.tp, s.fn,
                  s.fp, 100.0 * s.tp / (s.tp + s.fn), 100.0 * s.tp / (s.tp + s.fp));
    tp += s.tp, fn += s.fn, fp += s.fp;
  }
  double se = 100.0 * tp / (tp + fn), ppv = 100.0 * tp / (tp + fp);
  print_message("gross  %6ld %5ld %4ld %4ld %6.2f %6.2f\n", tp + fn, tp, fn, fp, se, ppv);
  assert_true(n >= 1);
  if (se < 99.0 || ppv < 99.0) fail_msg("R-peak Se %.2f %% / +P %.2f %% below 99 %%", se, ppv);
}

static void r_peaks_at_250_hz(void **state) {
  (void)state;
  score_all(250);
}

static void r_peaks_at_500_hz(void **state) {
  (void)state;
  score_all(500);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(r_peaks_at_250_hz),
      cmocka_unit_test(r_peaks_at_500_hz),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
