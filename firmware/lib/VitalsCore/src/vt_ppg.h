/* PPG front end: DC/AC extraction, ratio-of-ratios SpO2, heart rate and signal-quality
 * rejection over a window of red and infrared samples (e.g. 8 s from a MAX30102).
 *
 * After R. Fraczkiewicz, "algorithm_by_RF" (aromring/MAX30102_by_RF, MIT-style licence),
 * re-implemented: remove the mean and the linear trend; AC = RMS of what is left, DC =
 * mean; R = (AC_red/DC_red)/(AC_ir/DC_ir); SpO2 = a*R^2 + b*R + c with a configurable
 * calibration (default -45.060, 30.354, 94.845, the curve of that algorithm, valid for
 * 0.02 < R < 1.84); heart rate from the first strong autocorrelation peak of the IR signal
 * (parabolic interpolation of the lag); quality gates: red/IR Pearson correlation >= 0.8 and
 * autocorrelation peak / lag-0 >= 0.5 (both from that algorithm). No calibration here is
 * clinical: it depends on LEDs, enclosure and skin, so outputs are non-diagnostic until the
 * node is calibrated against a reference oximeter (shared reference §10.1). */
#ifndef VT_PPG_H
#define VT_PPG_H

#include <stddef.h>
#include <stdint.h>

#include "vt_ieee11073.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  float a, b, c; /* SpO2 % = a*R^2 + b*R + c */
} vt_spo2_calibration;

typedef struct {
  float fs;                      /* samples per second of the window */
  vt_spo2_calibration cal;
  float min_dc;                  /* IR DC below this: no finger (probe_off) */
  float min_perfusion;           /* AC_ir/DC_ir below this: low_perfusion (value kept) */
  float min_correlation;         /* red/IR Pearson r gate */
  float min_autocorrelation;     /* autocorrelation peak / lag 0 gate */
  float hr_min, hr_max;          /* /min, the lag range searched */
  float r_min, r_max;            /* ratio range where the calibration is valid */
} vt_ppg_config;

typedef struct {
  uint16_t status;      /* VT_ST_*: probe_off, questionable, low_perfusion, or 0 */
  vt_decimal spo2;      /* %, exponent 0; kind NAN when withheld */
  vt_decimal hr;        /* /min, exponent 0; kind NAN when withheld */
  float ratio;          /* R */
  float correlation;    /* red/IR Pearson r */
  float autocorrelation;/* peak / lag 0 */
  float perfusion;      /* AC_ir / DC_ir */
  float dc_red, dc_ir, ac_red, ac_ir;
} vt_ppg_result;

/* Defaults for a sample rate: the RF calibration and gates; min_dc for a MAX30102 at
 * 18 bit (a finger reflects tens of thousands of counts, air a few hundred). */
void vt_ppg_config_default(vt_ppg_config *c, float fs);

/* SpO2 from R with a calibration. */
float vt_spo2_from_ratio(const vt_spo2_calibration *cal, float r);

/* Analyses n samples (n >= 2 s worth). work must hold 2*n floats. Returns 0, or -1 for
 * bad arguments (then result->status has VT_ST_SENSOR_ERROR). */
int vt_ppg_analyse(const float *red, const float *ir, size_t n, const vt_ppg_config *c,
                   float *work, vt_ppg_result *result);

#ifdef __cplusplus
}
#endif
#endif
