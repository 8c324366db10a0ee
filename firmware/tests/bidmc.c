#include "bidmc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt_ppg.h"

#define FS 125.0f
#define WIN_S 8
#define STEP_S 2

/* Reads column col (0-based) of a CSV with one header line. */
static double *read_column(const char *path, int col, size_t *n, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    snprintf(err, errlen, "BIDMC file missing: %s (set VITALS_SHARED_DATA)", path);
    return NULL;
  }
  size_t cap = 65536, k = 0;
  double *v = malloc(cap * sizeof(double));
  char line[512];
  if (fgets(line, sizeof line, f) == NULL) { /* header */
    fclose(f);
    free(v);
    snprintf(err, errlen, "empty CSV: %s", path);
    return NULL;
  }
  while (v != NULL && fgets(line, sizeof line, f) != NULL) {
    char *p = line;
    for (int c = 0; c < col && p != NULL; c++) {
      p = strchr(p, ',');
      if (p) p++;
    }
    if (p == NULL) continue;
    char *end;
    double x = strtod(p, &end);
    if (end == p) x = NAN; /* missing value */
    if (k == cap) {
      cap *= 2;
      double *nv = realloc(v, cap * sizeof(double));
      if (nv == NULL) break;
      v = nv;
    }
    v[k++] = x;
  }
  fclose(f);
  *n = k;
  return v;
}

static double mean_of(const double *v, size_t from, size_t to) {
  double s = 0;
  int c = 0;
  for (size_t i = from; i < to; i++) {
    if (!isnan(v[i])) s += v[i], c++;
  }
  return c ? s / c : NAN;
}

int bidmc_eval_record(const char *dir, int record, int decimate, ppg_score *out, char *err,
                      size_t errlen) {
  char path[1200];
  size_t np = 0, nn = 0, ns = 0;
  memset(out, 0, sizeof *out);
  snprintf(path, sizeof path, "%s/bidmc_%02d_Signals.csv", dir, record);
  double *pleth = read_column(path, 2, &np, err, errlen); /* Time, RESP, PLETH, ... */
  if (pleth == NULL) return -1;
  if (decimate < 1) decimate = 1;
  if (decimate > 1) { /* block averages, as the sensor's on-chip averaging does */
    size_t k = 0;
    for (size_t i = 0; i + (size_t)decimate <= np; i += (size_t)decimate) {
      double sum = 0;
      for (int j = 0; j < decimate; j++) sum += isnan(pleth[i + (size_t)j]) ? 0 : pleth[i + (size_t)j];
      pleth[k++] = sum / decimate;
    }
    np = k;
  }
  const float fs = FS / (float)decimate;
  snprintf(path, sizeof path, "%s/bidmc_%02d_Numerics.csv", dir, record);
  double *pulse = read_column(path, 2, &nn, err, errlen); /* Time, HR, PULSE, RESP, SpO2 */
  double *spo2 = pulse ? read_column(path, 4, &ns, err, errlen) : NULL;
  if (pulse == NULL || spo2 == NULL) {
    free(pleth);
    free(pulse);
    return -1;
  }
  vt_ppg_config cfg;
  vt_ppg_config_default(&cfg, fs);
  size_t w = (size_t)(WIN_S * fs);
  float *red = malloc(w * sizeof(float)), *ir = malloc(w * sizeof(float));
  float *work = malloc(2 * w * sizeof(float));
  uint32_t lcg = 12345u;
  for (size_t start = 0; start + w <= np; start += (size_t)(STEP_S * fs)) {
    size_t s0 = start / (size_t)fs, s1 = s0 + WIN_S;
    if (s1 > nn || s1 > ns) break;
    double ref_hr = mean_of(pulse, s0, s1), ref_spo2 = mean_of(spo2, s0, s1);
    if (isnan(ref_hr) || isnan(ref_spo2) || ref_hr <= 0 || ref_spo2 <= 0) continue;
    /* IR = the real pleth on a MAX30102-like DC level. */
    double m = 0;
    for (size_t i = 0; i < w; i++) m += pleth[start + i];
    m /= (double)w;
    /* Red amplitude k so that R maps to the reference SpO2 through the calibration. */
    double a = cfg.cal.a, b = cfg.cal.b, c = cfg.cal.c - ref_spo2;
    double disc = b * b - 4 * a * c;
    /* The curve peaks at 99.96 % (R = 0.337): a reference of 100 % maps to that vertex. */
    double r_target = disc < 0 ? -b / (2 * a) : (-b + sqrt(disc)) / (2 * a);
    if (!(r_target > 0.02 && r_target < 1.84)) r_target = (-b - sqrt(disc)) / (2 * a);
    const double dc_ir_base = 60000, k_ir = 3000, dc_red_base = 40000;
    double dc_ir = dc_ir_base + k_ir * m;
    double k_red = r_target * k_ir * dc_red_base / (dc_ir - r_target * k_ir * m);
    for (size_t i = 0; i < w; i++) {
      double p = isnan(pleth[start + i]) ? m : pleth[start + i];
      lcg = lcg * 1664525u + 1013904223u;
      double noise = ((double)(lcg >> 8) / 16777216.0 - 0.5) * 0.02 * k_red; /* ~0.6 % rms */
      ir[i] = (float)(dc_ir_base + k_ir * p);
      red[i] = (float)(dc_red_base + k_red * p + noise);
    }
    vt_ppg_result res;
    vt_ppg_analyse(red, ir, w, &cfg, work, &res);
    out->windows++;
    if (res.hr.kind == VT_NUM_FINITE && res.spo2.kind == VT_NUM_FINITE) {
      out->accepted++;
      double e = fabs(res.hr.mantissa - ref_hr);
      out->hr_abs_err_sum += e;
      if (e <= 5.0) out->hr_within5++;
      double es = fabs(res.spo2.mantissa - ref_spo2);
      out->spo2_abs_err_sum += es;
      if (es <= 2.0) out->spo2_within2++;
    }
  }
  free(red);
  free(ir);
  free(work);
  free(pleth);
  free(pulse);
  free(spo2);
  return 0;
}
