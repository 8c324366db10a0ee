/* QRS detector; the method and its sources are in vt_qrs.h. */
#include "vt_qrs.h"

#include <math.h>
#include <string.h>

#define TH 0.3125f /* OSEA qrsdet.c threshold coefficient */

static uint16_t ms(uint16_t fs, uint32_t m) { return (uint16_t)((fs * m + 500u) / 1000u); }

int vt_qrs_init(vt_qrs *q, uint16_t fs) {
  if (q == NULL || fs < 50 || fs > VT_QRS_MAX_FS) return -1;
  memset(q, 0, sizeof(*q));
  q->fs = fs;
  q->ms95 = ms(fs, 95);
  q->ms150 = ms(fs, 150);
  q->hold = ms(fs, 250); /* pre-blanking hold; see vt_qrs.h */
  q->ms360 = ms(fs, 360);
  q->init_bin = fs; /* 1 s bins while learning */
  if (vt_biquad_design(&q->hp, VT_BQ_HIGHPASS, fs, 5.0, 0.7071) != 0) return -1;
  if (vt_biquad_design(&q->lp, VT_BQ_LOWPASS, fs, 16.0, 0.7071) != 0) return -1;
  q->dstride = (uint8_t)(fs / 125u > 0 ? (fs / 125u > 4 ? 4 : fs / 125u) : 1);
  q->mwi_len = ms(fs, 80);
  if (q->mwi_len < 1) q->mwi_len = 1;
  if (q->mwi_len > VT_QRS_MWI_MAX) q->mwi_len = VT_QRS_MWI_MAX;
  q->hist_len = ms(fs, 320);
  if (q->hist_len > VT_QRS_HIST_MAX) q->hist_len = VT_QRS_HIST_MAX;
  q->rrmean = fs;
  return 0;
}

static float hist_at(const vt_qrs *q, uint32_t idx) { return (float)q->hist[idx % q->hist_len]; }

/* R wave: the largest deviation from the local level from 60 ms before to 30 ms after the
 * candidate's steepest slope, within the kept history. */
static uint32_t locate_r(const vt_qrs *q, uint32_t slope_n) {
  uint32_t newest = q->n - 1;
  uint32_t oldest = q->n >= q->hist_len ? q->n - q->hist_len : 0;
  uint32_t w = ms(q->fs, 60);
  uint32_t hi = slope_n + ms(q->fs, 30);
  if (hi > newest) hi = newest;
  uint32_t lo = slope_n > w ? slope_n - w : 0;
  if (lo < oldest) lo = oldest;
  if (lo > hi) return slope_n;
  float base = 0.5f * (hist_at(q, lo) + hist_at(q, hi));
  uint32_t best = slope_n;
  float best_dev = -1.0f;
  for (uint32_t i = lo; i <= hi; i++) {
    float dev = fabsf(hist_at(q, i) - base);
    if (dev > best_dev) {
      best_dev = dev;
      best = i;
    }
  }
  return best;
}

static void push(float *buf, float v) {
  memmove(buf + 1, buf, (VT_QRS_NBUF - 1) * sizeof(float));
  buf[0] = v;
}

static float mean8(const float *buf) {
  float s = 0;
  for (int i = 0; i < VT_QRS_NBUF; i++) s += buf[i];
  return s / VT_QRS_NBUF;
}

static void update_thresh(vt_qrs *q) {
  q->qmean = mean8(q->qrsbuf);
  q->nmean = mean8(q->noisebuf);
  q->thresh = q->nmean + TH * (q->qmean - q->nmean);
}

static void accept_beat(vt_qrs *q, float peak, float slope, uint32_t peak_n, uint32_t r_n) {
  push(q->qrsbuf, peak);
  if (q->have_beat) {
    uint32_t rr = peak_n - q->last_qrs_n;
    if (rr > 3u * q->fs) rr = 3u * q->fs;
    memmove(q->rrbuf + 1, q->rrbuf, (VT_QRS_NBUF - 1) * sizeof(uint32_t));
    q->rrbuf[0] = rr;
    uint32_t s = 0;
    for (int i = 0; i < VT_QRS_NBUF; i++) s += q->rrbuf[i];
    q->rrmean = s / VT_QRS_NBUF;
  }
  q->have_beat = true;
  q->last_qrs_n = peak_n;
  q->last_r_n = r_n;
  q->last_slope = slope;
  q->sb_peak = 0;
  update_thresh(q);
}

bool vt_qrs_step(vt_qrs *q, float x, uint32_t *r_index) {
  bool beat = false;
  uint32_t now = q->n;
  q->hist[now % q->hist_len] = (int16_t)(x > 32767.0f ? 32767 : x < -32768.0f ? -32768 : lroundf(x));
  q->n++;

  /* QRS energy: band-pass, derivative over ~8 ms, |.|, 80 ms moving average. */
  float bp = vt_biquad_step(&q->lp, vt_biquad_step(&q->hp, x));
  float old = q->dline[q->dpos];
  q->dline[q->dpos] = bp;
  q->dpos = (uint8_t)((q->dpos + 1) % q->dstride);
  float d = fabsf(bp - old);
  if (d > q->slope_run) {
    q->slope_run = d;
    /* the derivative spans dstride samples and lags the input by the band-pass delay */
    q->slope_run_n = now - q->dstride / 2u - ms(q->fs, 8);
  }
  q->mwi_sum += d - q->mwi_buf[q->mwi_pos];
  q->mwi_buf[q->mwi_pos] = d;
  q->mwi_pos = (uint16_t)((q->mwi_pos + 1) % q->mwi_len);
  if (q->mwi_sum < 0) q->mwi_sum = 0; /* float drift */
  float mwi = q->mwi_sum / (float)q->mwi_len;

  /* Peak finder (OSEA Peak()): a peak ends when the signal falls to half its maximum or
   * 95 ms pass without a new maximum. */
  float pk = 0, pk_slope = 0;
  uint32_t pk_n = 0, pk_slope_n = 0;
  if (q->pk_since_max > 0) q->pk_since_max++;
  if (mwi > q->pk_last && mwi > q->pk_max) {
    q->pk_max = mwi;
    q->pk_max_n = now;
    if (q->pk_max > 1e-3f) q->pk_since_max = 1;
  } else if (q->pk_max > 0 && mwi < q->pk_max / 2.0f) {
    pk = q->pk_max;
    pk_n = q->pk_max_n;
    q->pk_max = 0;
    q->pk_since_max = 0;
  } else if (q->pk_since_max > q->ms95) {
    pk = q->pk_max;
    pk_n = q->pk_max_n;
    q->pk_max = 0;
    q->pk_since_max = 0;
  }
  q->pk_last = mwi;
  if (pk > 0) {
    pk_slope = q->slope_run;
    pk_slope_n = q->slope_run_n;
    q->slope_run = 0;
  }

  /* Pre-blanking: hold a peak 250 ms; a larger peak in that time replaces it. */
  float newpk = 0, new_slope = 0;
  uint32_t new_n = 0, new_r = 0;
  if (pk == 0 && q->hold_cnt > 0) {
    if (--q->hold_cnt == 0) {
      newpk = q->hold_peak;
      new_slope = q->hold_slope;
      new_n = q->hold_n;
      new_r = q->hold_r;
    }
  } else if (pk > 0 && q->hold_cnt == 0) {
    q->hold_peak = pk;
    q->hold_slope = pk_slope;
    q->hold_n = pk_n;
    q->hold_r = locate_r(q, pk_slope_n);
    q->hold_cnt = q->hold;
  } else if (pk > 0) {
    if (pk > q->hold_peak) {
      q->hold_peak = pk;
      q->hold_slope = pk_slope;
      q->hold_n = pk_n;
      q->hold_r = locate_r(q, pk_slope_n);
      q->hold_cnt = q->hold;
    } else if (--q->hold_cnt == 0) {
      newpk = q->hold_peak;
      new_slope = q->hold_slope;
      new_n = q->hold_n;
      new_r = q->hold_r;
    }
  }

  if (!q->ready) {
    /* Learning: the largest peak of each of the first 4 seconds seeds the QRS buffer
     * (OSEA uses 8 s; 4 s gets a heart rate on screen sooner after electrodes attach). */
    if (newpk > q->init_max) q->init_max = newpk;
    if (q->n % q->init_bin == 0) {
      q->qrsbuf[q->init_bins] = q->init_max;
      q->qrsbuf[q->init_bins + VT_QRS_NBUF / 2] = q->init_max;
      q->init_bins++;
      q->init_max = 0;
      if (q->init_bins == VT_QRS_NBUF / 2) {
        for (int i = 0; i < VT_QRS_NBUF; i++) {
          q->noisebuf[i] = 0;
          q->rrbuf[i] = q->fs;
        }
        q->rrmean = q->fs;
        update_thresh(q);
        q->ready = true;
      }
    }
    return false;
  }

  if (newpk > 0) {
    uint32_t since = q->have_beat ? new_n - q->last_qrs_n : 0xFFFFFFFFu;
    bool t_wave = q->have_beat && since < q->ms360 && new_slope < 0.5f * q->last_slope;
    if (newpk > q->thresh && !t_wave) {
      accept_beat(q, newpk, new_slope, new_n, new_r);
      beat = true;
      *r_index = new_r;
    } else {
      push(q->noisebuf, newpk);
      update_thresh(q);
      if (newpk > q->sb_peak && since >= q->ms360) {
        q->sb_peak = newpk;
        q->sb_slope = new_slope;
        q->sb_n = new_n;
        q->sb_r = new_r;
      }
    }
  }

  /* Search-back: no beat for 1.5 mean RR: take the largest candidate above thresh/2. */
  if (!beat && q->have_beat && q->sb_peak > 0 &&
      now - q->last_qrs_n > q->rrmean + q->rrmean / 2u + q->ms150 &&
      q->sb_peak > 0.5f * q->thresh) {
    accept_beat(q, q->sb_peak, q->sb_slope, q->sb_n, q->sb_r);
    beat = true;
    *r_index = q->last_r_n;
  }
  return beat;
}
