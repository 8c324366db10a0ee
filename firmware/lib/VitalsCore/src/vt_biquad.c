#include "vt_biquad.h"

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

int vt_biquad_design(vt_biquad *bq, vt_biquad_type type, double fs, double f0, double q) {
  if (bq == 0 || !(fs > 0) || !(f0 > 0) || !(f0 < fs / 2) || !(q > 0)) return -1;
  double w0 = 2.0 * M_PI * f0 / fs;
  double cw = cos(w0), sw = sin(w0);
  double alpha = sw / (2.0 * q);
  double b0, b1, b2, a0 = 1.0 + alpha, a1 = -2.0 * cw, a2 = 1.0 - alpha;
  switch (type) {
    case VT_BQ_LOWPASS:
      b0 = (1.0 - cw) / 2.0;
      b1 = 1.0 - cw;
      b2 = b0;
      break;
    case VT_BQ_HIGHPASS:
      b0 = (1.0 + cw) / 2.0;
      b1 = -(1.0 + cw);
      b2 = b0;
      break;
    case VT_BQ_NOTCH:
      b0 = 1.0;
      b1 = -2.0 * cw;
      b2 = 1.0;
      break;
    case VT_BQ_BANDPASS: /* constant 0 dB peak gain */
      b0 = alpha;
      b1 = 0.0;
      b2 = -alpha;
      break;
    default:
      return -1;
  }
  bq->b0 = (float)(b0 / a0);
  bq->b1 = (float)(b1 / a0);
  bq->b2 = (float)(b2 / a0);
  bq->a1 = (float)(a1 / a0);
  bq->a2 = (float)(a2 / a0);
  bq->z1 = bq->z2 = 0.0f;
  return 0;
}

void vt_biquad_prime(vt_biquad *bq, float x0) {
  float den = 1.0f + bq->a1 + bq->a2;
  float y = den != 0.0f ? x0 * (bq->b0 + bq->b1 + bq->b2) / den : 0.0f;
  bq->z2 = bq->b2 * x0 - bq->a2 * y;
  bq->z1 = bq->b1 * x0 - bq->a1 * y + bq->z2;
}

int vt_ecg_filter_init(vt_ecg_filter *f, double fs, int mains_hz) {
  if (f == 0) return -1;
  if (vt_biquad_design(&f->hp, VT_BQ_HIGHPASS, fs, 0.5, 0.7071) != 0) return -1;
  if (vt_biquad_design(&f->lp, VT_BQ_LOWPASS, fs, 40.0, 0.7071) != 0) return -1;
  f->has_notch = 0;
  if (mains_hz == 50 || mains_hz == 60) {
    if (vt_biquad_design(&f->notch, VT_BQ_NOTCH, fs, (double)mains_hz, 30.0) != 0) return -1;
    f->has_notch = 1;
  } else if (mains_hz != 0) {
    return -1;
  }
  return 0;
}

void vt_ecg_filter_prime(vt_ecg_filter *f, float x0) {
  vt_biquad_prime(&f->hp, x0);
  /* After the high-pass a constant input is 0: the later stages start at rest. */
  vt_biquad_prime(&f->lp, 0.0f);
  vt_biquad_prime(&f->notch, 0.0f);
}

float vt_ecg_filter_step(vt_ecg_filter *f, float x) {
  float y = vt_biquad_step(&f->hp, x);
  y = vt_biquad_step(&f->lp, y);
  if (f->has_notch) y = vt_biquad_step(&f->notch, y);
  return y;
}
