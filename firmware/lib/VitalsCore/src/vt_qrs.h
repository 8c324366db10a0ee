/* Real-time QRS (R-peak) detector for one ECG lead.
 *
 * After Pan & Tompkins, "A Real-Time QRS Detection Algorithm", IEEE TBME 32(3):230-236,
 * 1985, in the form of P. S. Hamilton's open-source OSEA detector (Hamilton & Tompkins,
 * IEEE TBME 33(12):1157-1165, 1986; Hamilton, "Open source ECG analysis", Computers in
 * Cardiology 2002): 5-16 Hz band-pass, derivative, absolute value, 80 ms moving-window
 * integration; peaks held 250 ms (pre-blanking; OSEA holds 200 ms, which lets the tall P
 * waves of MIT-BIH record 108 through before their QRS) so the largest of close peaks wins
 * and beats closer than 250 ms (over 240 /min) are not resolved;
 * adaptive threshold = noise mean + 0.3125 (QRS mean - noise mean) over the last 8 QRS and
 * 8 noise peaks; search-back for the largest peak above half the threshold when no beat
 * came for 1.5 mean RR intervals; T-wave rejection for peaks within 360 ms of a beat whose
 * slope is under half the last QRS slope (Pan & Tompkins §II.E).
 * The R peak itself is located on the input signal: the largest deviation from 60 ms
 * before to 30 ms after the steepest slope of the candidate (slow T waves after wide
 * ectopic beats never win),
 * so the reported index is the R wave, not the detection time.
 *
 * Works at any rate up to VT_QRS_MAX_FS (memory is sized for it: define it to 250 on an
 * Uno). Input: the 0.5-40 Hz (and notch) filtered ECG in ADC counts or any fixed scale
 * whose QRS spans at least tens of steps (the history for locating the R wave is int16). */
#ifndef VT_QRS_H
#define VT_QRS_H

#include <stdbool.h>
#include <stdint.h>

#include "vt_biquad.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef VT_QRS_MAX_FS
#define VT_QRS_MAX_FS 500
#endif
#define VT_QRS_MWI_MAX ((VT_QRS_MAX_FS * 80L + 999L) / 1000L)
#define VT_QRS_HIST_MAX ((VT_QRS_MAX_FS * 320L + 999L) / 1000L)
#define VT_QRS_NBUF 8

typedef struct {
  uint16_t fs;
  /* sample counts of the time constants */
  uint16_t ms95, ms150, hold, ms360, init_bin;
  vt_biquad hp, lp;
  float dline[4];
  uint8_t dstride, dpos;
  float mwi_buf[VT_QRS_MWI_MAX];
  float mwi_sum;
  uint16_t mwi_len, mwi_pos;
  int16_t hist[VT_QRS_HIST_MAX]; /* input history (rounded), for locating the R wave */
  uint16_t hist_len;
  uint32_t n; /* index of the next input sample */
  /* peak finder on the integrator output */
  float pk_max, pk_last, pk_slope, slope_run;
  uint32_t pk_max_n, slope_run_n;
  uint16_t pk_since_max;
  /* pre-blanking */
  float hold_peak, hold_slope;
  uint32_t hold_n, hold_r;
  uint16_t hold_cnt;
  /* adaptive threshold */
  float qrsbuf[VT_QRS_NBUF], noisebuf[VT_QRS_NBUF];
  uint32_t rrbuf[VT_QRS_NBUF];
  float qmean, nmean, thresh, last_slope;
  uint32_t rrmean;
  uint8_t init_bins;
  float init_max;
  bool ready; /* initial learning period over */
  bool have_beat;
  uint32_t last_qrs_n, last_r_n;
  /* search-back candidate */
  float sb_peak, sb_slope;
  uint32_t sb_n, sb_r;
} vt_qrs;

/* fs in Hz (50..VT_QRS_MAX_FS). Returns 0 or -1. */
int vt_qrs_init(vt_qrs *q, uint16_t fs);

/* Feeds one filtered sample. Returns true when a beat was detected; then *r_index is the
 * sample index (0 = first sample after init) of its R peak. Detection lags the R peak by
 * up to ~0.5 s (pre-blanking), and search-back beats by up to 1.5 RR intervals. */
bool vt_qrs_step(vt_qrs *q, float x, uint32_t *r_index);

#ifdef __cplusplus
}
#endif
#endif
