/* Second-order IIR sections (biquads) designed with the RBJ Audio EQ Cookbook formulas
 * (R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad filter coefficients"), a0
 * normalised, run in float as transposed direct form II. The 0.5 Hz high-pass has poles
 * close to the unit circle, so it is float, never 16-bit fixed point (shared reference
 * standards-and-codes.md §10.2). */
#ifndef VT_BIQUAD_H
#define VT_BIQUAD_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  float b0, b1, b2, a1, a2; /* a0 = 1 */
  float z1, z2;
} vt_biquad;

typedef enum { VT_BQ_LOWPASS, VT_BQ_HIGHPASS, VT_BQ_NOTCH, VT_BQ_BANDPASS } vt_biquad_type;

/* Designs a filter with corner/centre f0 (Hz) and quality q at sample rate fs. Returns 0,
 * or -1 when f0 is not within (0, fs/2) or q <= 0. Computed in double where the platform
 * has it (AVR double is float). */
int vt_biquad_design(vt_biquad *bq, vt_biquad_type type, double fs, double f0, double q);

/* Sets the state as if x0 had been the input forever (no start-up step response). */
void vt_biquad_prime(vt_biquad *bq, float x0);

static inline float vt_biquad_step(vt_biquad *bq, float x) {
  float y = bq->b0 * x + bq->z1;
  bq->z1 = bq->b1 * x - bq->a1 * y + bq->z2;
  bq->z2 = bq->b2 * x - bq->a2 * y;
  return y;
}

/* The ECG display chain: 0.5 Hz high-pass, 40 Hz low-pass (Butterworth sections, Q
 * 0.7071) and an optional 50 or 60 Hz notch (Q 30). Band per ez.analog.com DOC-13897
 * (AD8232 application notes): 0.5-40 Hz keeps the waveform shape. */
typedef struct {
  vt_biquad hp, lp, notch;
  int has_notch;
} vt_ecg_filter;

/* fs: 250 or 500 (others work too); mains_hz: 50, 60 or 0 (no notch). Returns 0 or -1. */
int vt_ecg_filter_init(vt_ecg_filter *f, double fs, int mains_hz);
void vt_ecg_filter_prime(vt_ecg_filter *f, float x0);
float vt_ecg_filter_step(vt_ecg_filter *f, float x);

#ifdef __cplusplus
}
#endif
#endif
