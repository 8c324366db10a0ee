/* Scores the firmware's ECG front end (vt_ecg: filters + R-peak detector) on one MIT-BIH
 * record the way ANSI/AAMI EC57 and WFDB bxb do for QRS detection: a detection matches a
 * reference beat within 150 ms; the first 5 minutes are the learning period and are not
 * scored; ventricular flutter/fibrillation episodes ('[' .. ']') are excluded. The record
 * (360 Hz) is resampled to the node's rate (250 or 500 Hz) by linear interpolation and fed
 * through the same code the sketches run. */
#ifndef VT_TEST_MITDB_EVAL_H
#define VT_TEST_MITDB_EVAL_H

#include <stddef.h>

typedef struct {
  long tp, fn, fp;
  long ref_beats;
} qrs_score;

/* Returns 0, or -1 with a message in err. */
int mitdb_eval_record(const char *dir, const char *record, int fs, qrs_score *out, char *err,
                      size_t errlen);

/* The data folder: env VITALS_SHARED_DATA or the compiled default, plus "/mitdb". */
const char *mitdb_dir(void);
/* The records listed in <dir>/SHA256SUMS with a .hea file, sorted; returns the count. */
int mitdb_records(const char *dir, char names[][8], int max);

#endif
