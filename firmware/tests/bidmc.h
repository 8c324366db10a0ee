/* Runs the firmware's PPG analysis (vt_ppg) on the BIDMC PPG and Respiration Dataset
 * (records 01-10 carry the 125 Hz PLETH signal) and compares it to the monitor's numerics.
 *
 * BIDMC has one pleth channel, not the red and infrared of a MAX30102. Heart rate is
 * judged on the real pleth (as the IR channel) against the monitor's PULSE. For SpO2 a red
 * channel is synthesised from the same pleth with the amplitude that the calibration maps
 * to the monitor's SpO2, plus deterministic noise: that checks DC/AC extraction and the
 * ratio-of-ratios arithmetic on real pulse shapes, not the optical calibration (which
 * needs a reference oximeter on the real node). */
#ifndef VT_TEST_BIDMC_H
#define VT_TEST_BIDMC_H

#include <stddef.h>

typedef struct {
  int windows;          /* 8-s windows with reference numerics */
  int accepted;         /* windows the quality gates passed */
  double hr_abs_err_sum;
  int hr_within5;       /* accepted windows with |HR - PULSE| <= 5 /min */
  double spo2_abs_err_sum;
  int spo2_within2;
} ppg_score;

/* decimate: 1 = the recorded 125 Hz; 5 = block averages of 5 samples, 25 Hz, the rate the
 * MAX30102 delivers at the reference configuration (100 Hz, 4-sample averaging). */
int bidmc_eval_record(const char *dir, int record, int decimate, ppg_score *out, char *err,
                      size_t errlen);

#endif
