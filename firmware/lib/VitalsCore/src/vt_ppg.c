/* PPG analysis; method and sources in vt_ppg.h. */
#include "vt_ppg.h"

#include <math.h>

#include "vt_reading.h"

void vt_ppg_config_default(vt_ppg_config *c, float fs) {
  c->fs = fs;
  c->cal.a = -45.060f;
  c->cal.b = 30.354f;
  c->cal.c = 94.845f;
  c->min_dc = 5000.0f;
  c->min_perfusion = 0.0005f;
  c->min_correlation = 0.8f;
  c->min_autocorrelation = 0.5f;
  c->hr_min = 40.0f;
  c->hr_max = 180.0f;
  c->r_min = 0.02f;
  c->r_max = 1.84f;
}

float vt_spo2_from_ratio(const vt_spo2_calibration *cal, float r) {
  return (cal->a * r + cal->b) * r + cal->c;
}

/* Removes mean and least-squares line from x into out; returns the mean (DC). */
static float detrend(const float *x, size_t n, float *out) {
  double sx = 0, st = 0, stt = 0, stx = 0;
  for (size_t i = 0; i < n; i++) {
    double t = (double)i;
    sx += x[i];
    st += t;
    stt += t * t;
    stx += t * x[i];
  }
  double mean = sx / (double)n, tm = st / (double)n;
  double den = stt - (double)n * tm * tm;
  double slope = den != 0 ? (stx - (double)n * tm * mean) / den : 0;
  for (size_t i = 0; i < n; i++) out[i] = (float)(x[i] - mean - slope * ((double)i - tm));
  return (float)mean;
}

static float rms(const float *x, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += (double)x[i] * x[i];
  return (float)sqrt(s / (double)n);
}

/* Unbiased autocorrelation at one lag, normalised by lag 0. */
static float autocorr(const float *x, size_t n, size_t lag, double r0) {
  double s = 0;
  for (size_t i = 0; i + lag < n; i++) s += (double)x[i] * x[i + lag];
  return (float)((s / (double)(n - lag)) / r0);
}

static vt_decimal whole(float v) {
  vt_decimal d;
  d.kind = VT_NUM_FINITE;
  d.mantissa = (int32_t)lroundf(v);
  d.exponent = 0;
  return d;
}

int vt_ppg_analyse(const float *red, const float *ir, size_t n, const vt_ppg_config *c,
                   float *work, vt_ppg_result *res) {
  if (res == NULL) return -1;
  res->status = 0;
  res->spo2.kind = VT_NUM_NAN;
  res->spo2.mantissa = 0;
  res->spo2.exponent = 0;
  res->hr = res->spo2;
  res->ratio = res->correlation = res->autocorrelation = res->perfusion = 0;
  res->dc_red = res->dc_ir = res->ac_red = res->ac_ir = 0;
  if (red == NULL || ir == NULL || c == NULL || work == NULL || !(c->fs > 0) ||
      n < (size_t)(2.0f * c->fs) || !(c->hr_min > 0) || !(c->hr_max > c->hr_min)) {
    res->status = VT_ST_SENSOR_ERROR;
    return -1;
  }
  float *r = work, *x = work + n;
  res->dc_red = detrend(red, n, r);
  res->dc_ir = detrend(ir, n, x);
  if (res->dc_ir < c->min_dc || res->dc_red < c->min_dc) {
    res->status = VT_ST_PROBE_OFF;
    return 0;
  }
  res->ac_red = rms(r, n);
  res->ac_ir = rms(x, n);
  res->perfusion = res->ac_ir / res->dc_ir;
  if (res->perfusion < c->min_perfusion) res->status |= VT_ST_LOW_PERFUSION;

  /* Gate 1: red and IR must pulse together. */
  double srx = 0;
  for (size_t i = 0; i < n; i++) srx += (double)r[i] * x[i];
  double den = (double)res->ac_red * res->ac_ir * (double)n;
  res->correlation = den > 0 ? (float)(srx / den) : 0.0f;

  /* Heart rate: first autocorrelation maximum in the allowed lag range that is close to
   * the strongest one (so a 2-beat lag does not win over the 1-beat lag). */
  double r0 = 0;
  for (size_t i = 0; i < n; i++) r0 += (double)x[i] * x[i];
  r0 /= (double)n;
  size_t lag_min = (size_t)floorf(c->fs * 60.0f / c->hr_max);
  size_t lag_max = (size_t)ceilf(c->fs * 60.0f / c->hr_min);
  if (lag_min < 2) lag_min = 2;
  if (lag_max > n / 2) lag_max = n / 2;
  float best = -2.0f;
  size_t best_lag = 0;
  if (r0 > 0 && lag_max > lag_min + 1) {
    float global = -2.0f;
    for (size_t lag = lag_min; lag <= lag_max; lag++) {
      float v = autocorr(x, n, lag, r0);
      if (v > global) global = v;
    }
    float prev = autocorr(x, n, lag_min - 1, r0), cur = autocorr(x, n, lag_min, r0);
    for (size_t lag = lag_min; lag < lag_max; lag++) {
      float next = autocorr(x, n, lag + 1, r0);
      if (cur >= prev && cur > next && cur >= 0.8f * global) {
        float denom = prev - 2.0f * cur + next;
        float shift = denom != 0 ? 0.5f * (prev - next) / denom : 0.0f;
        if (shift > 0.5f) shift = 0.5f;
        if (shift < -0.5f) shift = -0.5f;
        best = cur;
        best_lag = lag;
        res->hr = whole(60.0f * c->fs / ((float)lag + shift));
        break;
      }
      prev = cur;
      cur = next;
    }
  }
  res->autocorrelation = best_lag ? best : 0.0f;

  res->ratio = (res->ac_red / res->dc_red) / (res->ac_ir / res->dc_ir);
  bool periodic = best_lag != 0 && res->autocorrelation >= c->min_autocorrelation;
  bool correlated = res->correlation >= c->min_correlation;
  bool ratio_ok = res->ratio > c->r_min && res->ratio < c->r_max;
  if (!periodic || !correlated || !ratio_ok) {
    res->status |= VT_ST_QUESTIONABLE;
    res->hr.kind = VT_NUM_NAN;
    return 0;
  }
  float spo2 = vt_spo2_from_ratio(&c->cal, res->ratio);
  if (spo2 > 100.0f) spo2 = 100.0f; /* the curve tops out just above 100 near R = 0.34 */
  if (spo2 < 50.0f) {               /* far outside any calibration data */
    res->status |= VT_ST_QUESTIONABLE;
    return 0;
  }
  res->spo2 = whole(spo2);
  return 0;
}
