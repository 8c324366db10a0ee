/* ECG front end for an AD8232 node: leads-off handling, the 0.5-40 Hz + notch filter
 * chain, R-peak detection (vt_qrs.h) and heart rate.
 *
 * Leads-off (AD8232 data sheet Rev. A, pp. 18-23): in DC mode LO+ or LO- goes high when
 * the matching electrode is off. While either is high the output is withheld (status
 * lead_off) and the filters and detector are reset; after reconnection the 0.5 Hz
 * high-pass needs time to settle, so samples are withheld for VT_ECG_SETTLE_MS more
 * (shared reference §10.2: "suppress output ... for ~1-2 s after reconnection"). */
#ifndef VT_ECG_H
#define VT_ECG_H

#include <stdbool.h>
#include <stdint.h>

#include "vt_biquad.h"
#include "vt_ieee11073.h"
#include "vt_qrs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VT_ECG_SETTLE_MS 2000u
#define VT_ECG_RR_N 8
#define VT_ECG_HR_MAX_GAP_MS 3000u /* no beat for this long: no heart rate (asystole/noise) */

typedef struct {
  uint16_t fs;
  vt_ecg_filter filt;
  vt_qrs qrs;
  bool lead_off;
  bool primed;
  uint32_t settle_left; /* samples still withheld after reconnection */
  uint32_t n;           /* samples since the detector (re)started */
  uint16_t rr_ms[VT_ECG_RR_N];
  uint8_t nrr;
  bool have_r;
  uint32_t last_r;
} vt_ecg;

typedef struct {
  float filtered;   /* filtered sample (0 while withheld) */
  uint16_t status;  /* VT_ST_LEAD_OFF, VT_ST_NO_SIGNAL (settling), or 0 */
  bool beat;        /* an R peak was detected with this sample */
  uint32_t r_age;   /* ... that many samples ago */
} vt_ecg_out;

/* fs 250 or 500 (any 50..VT_QRS_MAX_FS), mains_hz 50/60/0. Returns 0 or -1. */
int vt_ecg_init(vt_ecg *e, uint16_t fs, int mains_hz);

/* One ADC sample (any fixed scale, e.g. counts) with the two leads-off inputs. */
void vt_ecg_step(vt_ecg *e, float raw, bool lo_plus, bool lo_minus, vt_ecg_out *out);

/* Heart rate from the median of the last RR intervals, as /min with exponent 0.
 * Returns 0 when valid, else the VT_ST_* flags saying why (lead_off, no_signal). */
uint16_t vt_ecg_heart_rate(const vt_ecg *e, vt_decimal *bpm);

#ifdef __cplusplus
}
#endif
#endif
