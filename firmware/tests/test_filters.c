/* ECG filters: RBJ coefficients against the reference table, and the response they give. */
#include <math.h>

#include "support.h"
#include "vt_biquad.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef struct {
  double fs;
  vt_biquad_type type;
  double f0, q;
  double b0, b1, b2, a1, a2;
} coeffs;

/* Shared reference standards-and-codes.md §10.2 (RBJ cookbook, a0-normalised). */
static const coeffs TABLE[] = {
    {250, VT_BQ_HIGHPASS, 0.5, 0.7071, 0.99115351, -1.98230702, 0.99115351, -1.98222876, 0.98238528},
    {250, VT_BQ_LOWPASS, 40, 0.7071, 0.14532336, 0.29064673, 0.14532336, -0.67102669, 0.25232014},
    {250, VT_BQ_NOTCH, 50, 30, 0.98439639, -0.60839043, 0.98439639, -0.60839043, 0.96879278},
    {250, VT_BQ_NOTCH, 60, 30, 0.98363838, -0.12352633, 0.98363838, -0.12352633, 0.96727675},
    {500, VT_BQ_HIGHPASS, 0.5, 0.7071, 0.99556693, -1.99113386, 0.99556693, -1.99111421, 0.99115351},
    {500, VT_BQ_LOWPASS, 40, 0.7071, 0.04613169, 0.09226338, 0.04613169, -1.30728184, 0.49180860},
    {500, VT_BQ_NOTCH, 50, 30, 0.99029862, -1.60233682, 0.99029862, -1.60233682, 0.98059724},
    {500, VT_BQ_NOTCH, 60, 30, 0.98871958, -1.44149111, 0.98871958, -1.44149111, 0.97743916},
};

static void coefficients_match_the_reference_table(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++) {
    const coeffs *c = &TABLE[i];
    vt_biquad bq;
    assert_int_equal(vt_biquad_design(&bq, c->type, c->fs, c->f0, c->q), 0);
    /* float storage: 1e-6 absolute is ~8 ulp at these magnitudes */
    assert_true(fabs(bq.b0 - c->b0) < 2e-6);
    assert_true(fabs(bq.b1 - c->b1) < 2e-6);
    assert_true(fabs(bq.b2 - c->b2) < 2e-6);
    assert_true(fabs(bq.a1 - c->a1) < 2e-6);
    assert_true(fabs(bq.a2 - c->a2) < 2e-6);
  }
}

/* Steady-state gain of the chain for a sine at f (after 20 s of settling). */
static double chain_gain(double fs, int mains, double f) {
  vt_ecg_filter flt;
  assert_int_equal(vt_ecg_filter_init(&flt, fs, mains), 0);
  int n_settle = (int)(20 * fs), n_meas = (int)(4 * fs);
  double peak = 0;
  for (int i = 0; i < n_settle + n_meas; i++) {
    float y = vt_ecg_filter_step(&flt, (float)sin(2 * M_PI * f * i / fs));
    if (i >= n_settle && fabs(y) > peak) peak = fabs(y);
  }
  return peak;
}

static void band_pass_and_notch_response(void **state) {
  (void)state;
  const double rates[] = {250, 500};
  for (int k = 0; k < 2; k++) {
    double fs = rates[k];
    /* pass band: within 1 dB from 1.5 to 25 Hz */
    assert_true(chain_gain(fs, 50, 1.5) > 0.89);
    assert_true(chain_gain(fs, 50, 10) > 0.89);
    assert_true(chain_gain(fs, 60, 25) > 0.89);
    /* corners at -3 dB (2nd-order Butterworth sections) */
    assert_true(fabs(chain_gain(fs, 0, 0.5) - 0.7071) < 0.03);
    assert_true(fabs(chain_gain(fs, 0, 40) - 0.7071) < 0.03);
    /* mains: at least 30 dB down at the notch, untouched with the other mains setting */
    assert_true(chain_gain(fs, 50, 50) < 0.0316);
    assert_true(chain_gain(fs, 60, 60) < 0.0316);
    /* baseline wander and drift are removed */
    assert_true(chain_gain(fs, 50, 0.05) < 0.02);
    /* out of band above */
    assert_true(chain_gain(fs, 0, 120) < 0.15);
  }
}

static void priming_avoids_the_step_response(void **state) {
  (void)state;
  vt_ecg_filter flt;
  assert_int_equal(vt_ecg_filter_init(&flt, 250, 50), 0);
  vt_ecg_filter_prime(&flt, 512.0f); /* AD8232 output at mid-scale */
  float worst = 0;
  for (int i = 0; i < 250; i++) {
    float y = vt_ecg_filter_step(&flt, 512.0f);
    if (fabsf(y) > worst) worst = fabsf(y);
  }
  assert_true(worst < 0.01f);
  /* Without priming the same input starts with a step of tens of counts. */
  assert_int_equal(vt_ecg_filter_init(&flt, 250, 50), 0);
  float first = vt_ecg_filter_step(&flt, 512.0f);
  assert_true(fabsf(first) > 50.0f);
}

static void bad_designs_are_refused(void **state) {
  (void)state;
  vt_biquad bq;
  vt_ecg_filter flt;
  assert_int_equal(vt_biquad_design(&bq, VT_BQ_LOWPASS, 250, 125, 0.7), -1);
  assert_int_equal(vt_biquad_design(&bq, VT_BQ_LOWPASS, 250, 0, 0.7), -1);
  assert_int_equal(vt_biquad_design(&bq, VT_BQ_LOWPASS, 250, 40, 0), -1);
  assert_int_equal(vt_ecg_filter_init(&flt, 250, 55), -1);
  assert_int_equal(vt_ecg_filter_init(&flt, 60, 50), -1); /* 40 Hz above Nyquist */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(coefficients_match_the_reference_table),
      cmocka_unit_test(band_pass_and_notch_response),
      cmocka_unit_test(priming_avoids_the_step_response),
      cmocka_unit_test(bad_designs_are_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
