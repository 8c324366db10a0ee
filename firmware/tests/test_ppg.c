/* PPG front end: BIDMC pleth against the monitor numerics, and the quality gates. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bidmc.h"
#include "support.h"
#include "vt_ppg.h"
#include "vt_reading.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static void bidmc_at(int decimate) {
  char dir[1100];
  snprintf(dir, sizeof dir, "%s/bidmc", shared_data_dir());
  int W = 0, A = 0, H5 = 0, S2 = 0;
  double HE = 0, SE = 0;
  for (int rec = 1; rec <= 10; rec++) {
    ppg_score s;
    char err[512];
    if (bidmc_eval_record(dir, rec, decimate, &s, err, sizeof err) != 0) fail_msg("%s", err);
    print_message("bidmc_%02d at %d Hz: %d windows, %d accepted, HR MAE %.2f /min, SpO2 MAE %.2f %%\n",
                  rec, 125 / decimate, s.windows, s.accepted,
                  s.accepted ? s.hr_abs_err_sum / s.accepted : 0,
                  s.accepted ? s.spo2_abs_err_sum / s.accepted : 0);
    assert_true(s.windows > 200);
    W += s.windows, A += s.accepted, H5 += s.hr_within5, S2 += s.spo2_within2;
    HE += s.hr_abs_err_sum, SE += s.spo2_abs_err_sum;
  }
  print_message("all: %d/%d accepted, HR MAE %.2f, HR within 5/min %.1f %%, SpO2 MAE %.2f\n", A, W,
                HE / A, 100.0 * H5 / A, SE / A);
  assert_true(A >= W * 85 / 100);   /* the gates keep most of the ICU recordings */
  assert_true(HE / A <= 2.0);       /* mean absolute HR error, /min */
  assert_true(H5 >= A * 95 / 100);  /* 95 % of accepted windows within 5 /min */
  assert_true(SE / A <= 1.0);       /* ratio-of-ratios arithmetic on synthesised red */
  assert_true(S2 >= A * 95 / 100);
}

/* The recorded 125 Hz pleth. */
static void bidmc_heart_rate_and_spo2_agree_with_the_monitor(void **state) {
  (void)state;
  bidmc_at(1);
}

/* The same pleth at 25 samples/s, the rate the ESP32 node reads from the MAX30102. */
static void bidmc_at_the_max30102_rate(void **state) {
  (void)state;
  bidmc_at(5);
}

/* A clean synthetic pulse: fundamental + harmonic, red/IR with a chosen R. */
static void synth(float *red, float *ir, size_t n, float fs, float bpm, float r, float noise,
                  unsigned seed) {
  float f = bpm / 60.0f;
  for (size_t i = 0; i < n; i++) {
    float t = (float)i / fs;
    float p = sinf(2 * (float)M_PI * f * t) + 0.4f * sinf(4 * (float)M_PI * f * t + 1.0f);
    seed = seed * 1664525u + 1013904223u;
    float nz = ((float)(seed >> 8) / 16777216.0f - 0.5f) * noise;
    ir[i] = 80000.0f + 800.0f * p;
    red[i] = 60000.0f + 600.0f * r * p + nz;
  }
}

static void gates_reject_what_is_not_a_pulse(void **state) {
  (void)state;
  enum { N = 200 };
  const float fs = 25.0f; /* the MAX30102 at the RD117 settings */
  float red[N], ir[N], work[2 * N];
  vt_ppg_config c;
  vt_ppg_config_default(&c, fs);
  vt_ppg_result res;

  synth(red, ir, N, fs, 72, 0.5f, 0, 1);
  assert_int_equal(vt_ppg_analyse(red, ir, N, &c, work, &res), 0);
  assert_int_equal(res.status, 0);
  assert_int_equal(res.hr.mantissa, 72);
  assert_true(fabsf(res.ratio - 0.5f) < 0.01f);
  assert_int_equal(res.spo2.mantissa, (int)lroundf(vt_spo2_from_ratio(&c.cal, 0.5f)));

  /* The calibration is configurable: a linear 110.2 - 25 R curve gives 97.7 -> 98. */
  vt_ppg_config lin = c;
  lin.cal.a = 0;
  lin.cal.b = -25;
  lin.cal.c = 110.2f;
  assert_int_equal(vt_ppg_analyse(red, ir, N, &lin, work, &res), 0);
  assert_int_equal(res.spo2.mantissa, 98);

  /* No finger: DC of ambient light only. */
  for (int i = 0; i < N; i++) red[i] = 300.0f, ir[i] = 350.0f + (float)(i % 3);
  assert_int_equal(vt_ppg_analyse(red, ir, N, &c, work, &res), 0);
  assert_true(res.status & VT_ST_PROBE_OFF);
  assert_int_not_equal(res.spo2.kind, VT_NUM_FINITE);

  /* Red is noise, not pulse (motion, a swapped or broken LED): correlation gate. */
  synth(red, ir, N, fs, 72, 0.0f, 3000.0f, 7);
  assert_int_equal(vt_ppg_analyse(red, ir, N, &c, work, &res), 0);
  assert_true(res.status & VT_ST_QUESTIONABLE);
  assert_true(res.correlation < 0.8f);
  assert_int_not_equal(res.spo2.kind, VT_NUM_FINITE);
  assert_int_not_equal(res.hr.kind, VT_NUM_FINITE);

  /* Both channels noise: no periodicity. */
  unsigned s = 99;
  for (int i = 0; i < N; i++) {
    s = s * 1664525u + 1013904223u;
    float v = ((float)(s >> 8) / 16777216.0f - 0.5f) * 2000.0f;
    ir[i] = 80000.0f + v;
    red[i] = 60000.0f + 0.5f * v;
  }
  assert_int_equal(vt_ppg_analyse(red, ir, N, &c, work, &res), 0);
  assert_true(res.status & VT_ST_QUESTIONABLE);
  assert_true(res.autocorrelation < 0.5f);

  /* R outside the calibrated range. */
  synth(red, ir, N, fs, 72, 2.5f, 0, 3);
  assert_int_equal(vt_ppg_analyse(red, ir, N, &c, work, &res), 0);
  assert_true(res.status & VT_ST_QUESTIONABLE);

  /* Too short a window or no buffer: refused. */
  assert_int_equal(vt_ppg_analyse(red, ir, 10, &c, work, &res), -1);
  assert_int_equal(vt_ppg_analyse(red, ir, N, &c, NULL, &res), -1);
}

static void heart_rate_over_the_allowed_range(void **state) {
  (void)state;
  enum { N = 200 };
  float red[N], ir[N], work[2 * N];
  vt_ppg_config c;
  vt_ppg_config_default(&c, 25.0f);
  vt_ppg_result res;
  const float rates[] = {45, 60, 88, 120, 150, 175};
  for (int k = 0; k < 6; k++) {
    synth(red, ir, N, 25.0f, rates[k], 0.6f, 20.0f, (unsigned)k);
    assert_int_equal(vt_ppg_analyse(red, ir, N, &c, work, &res), 0);
    assert_int_equal(res.status, 0);
    if (abs(res.hr.mantissa - (int)rates[k]) > 2) {
      fail_msg("%.0f /min read as %d", (double)rates[k], (int)res.hr.mantissa);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bidmc_heart_rate_and_spo2_agree_with_the_monitor),
      cmocka_unit_test(bidmc_at_the_max30102_rate),
      cmocka_unit_test(gates_reject_what_is_not_a_pulse),
      cmocka_unit_test(heart_rate_over_the_allowed_range),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
