#include "vt_ecg.h"

#include <string.h>

#include "vt_reading.h"

static void restart(vt_ecg *e) {
  vt_qrs_init(&e->qrs, e->fs);
  e->primed = false;
  e->n = 0;
  e->nrr = 0;
  e->have_r = false;
}

int vt_ecg_init(vt_ecg *e, uint16_t fs, int mains_hz) {
  if (e == NULL) return -1;
  memset(e, 0, sizeof(*e));
  e->fs = fs;
  if (vt_ecg_filter_init(&e->filt, fs, mains_hz) != 0) return -1;
  if (vt_qrs_init(&e->qrs, fs) != 0) return -1;
  return 0;
}

void vt_ecg_step(vt_ecg *e, float raw, bool lo_plus, bool lo_minus, vt_ecg_out *out) {
  out->filtered = 0;
  out->beat = false;
  out->r_age = 0;
  if (lo_plus || lo_minus) {
    if (!e->lead_off) {
      e->lead_off = true;
      restart(e);
    }
    out->status = VT_ST_LEAD_OFF;
    return;
  }
  if (e->lead_off) {
    e->lead_off = false;
    e->settle_left = (uint32_t)e->fs * VT_ECG_SETTLE_MS / 1000u;
  }
  if (!e->primed) {
    vt_ecg_filter_prime(&e->filt, raw); /* start from the electrode's DC level */
    e->primed = true;
  }
  float y = vt_ecg_filter_step(&e->filt, raw);
  if (e->settle_left > 0) {
    e->settle_left--;
    out->status = VT_ST_NO_SIGNAL;
    if (e->settle_left == 0) vt_qrs_init(&e->qrs, e->fs); /* learn on settled signal */
    return;
  }
  out->filtered = y;
  out->status = 0;
  uint32_t r;
  if (vt_qrs_step(&e->qrs, y, &r)) {
    out->beat = true;
    out->r_age = e->qrs.n - 1 - r;
    if (e->have_r && r > e->last_r) {
      uint32_t rr_ms = (r - e->last_r) * 1000u / e->fs;
      if (rr_ms >= 250u && rr_ms <= 3000u) { /* 20..240 /min: the detector resolves RR >= 250 ms */
        memmove(e->rr_ms + 1, e->rr_ms, (VT_ECG_RR_N - 1) * sizeof(uint16_t));
        e->rr_ms[0] = (uint16_t)rr_ms;
        if (e->nrr < VT_ECG_RR_N) e->nrr++;
      }
    }
    e->have_r = true;
    e->last_r = r;
  }
  e->n++;
}

uint16_t vt_ecg_heart_rate(const vt_ecg *e, vt_decimal *bpm) {
  bpm->kind = VT_NUM_NAN;
  bpm->mantissa = 0;
  bpm->exponent = 0;
  if (e->lead_off) return VT_ST_LEAD_OFF;
  if (e->settle_left > 0 || e->nrr < 4 || !e->have_r) return VT_ST_NO_SIGNAL;
  if ((e->qrs.n - e->last_r) * 1000u / e->fs > VT_ECG_HR_MAX_GAP_MS) return VT_ST_NO_SIGNAL;
  uint16_t s[VT_ECG_RR_N];
  memcpy(s, e->rr_ms, e->nrr * sizeof(uint16_t));
  for (uint8_t i = 1; i < e->nrr; i++) { /* insertion sort: n <= 8 */
    uint16_t v = s[i];
    int j = i - 1;
    while (j >= 0 && s[j] > v) {
      s[j + 1] = s[j];
      j--;
    }
    s[j + 1] = v;
  }
  uint32_t med = (e->nrr & 1) ? s[e->nrr / 2] : (uint32_t)(s[e->nrr / 2 - 1] + s[e->nrr / 2]) / 2u;
  bpm->kind = VT_NUM_FINITE;
  bpm->mantissa = (int32_t)((60000u + med / 2u) / med);
  bpm->exponent = 0;
  return 0;
}
