/* A batch of waveform samples (one ECG lead): maps 1:1 to a FHIR SampledData strip.
 * physical value = origin + factor * sample (in unit). */
#ifndef VT_WAVE_H
#define VT_WAVE_H

#include <stdint.h>

#include "vt_ieee11073.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { VT_WAVE_ECG = 0, VT_WAVE_COUNT } vt_wave_kind;

const char *vt_wave_name(vt_wave_kind k); /* "ecg"; NULL if unknown */

/* MDC lead codes (ISO/IEEE 11073-10101): MDC_ECG_ELEC_POTL_I/II/III, and the pleth. */
#define VT_MDC_ECG_LEAD_I 131329ul
#define VT_MDC_ECG_LEAD_II 131330ul
#define VT_MDC_ECG_LEAD_III 131389ul
#define VT_MDC_PULS_OXIM_PLETH 150452ul

typedef struct {
  uint32_t boot;
  uint32_t seq;
  uint32_t up_ms;     /* uptime of the first sample */
  int64_t t0_ms;      /* epoch ms of the first sample; meaningful when tsq != VT_TSQ_NONE */
  uint8_t tsq;
  uint8_t kind;       /* vt_wave_kind */
  uint16_t status;    /* VT_ST_* */
  uint32_t mdc;       /* lead / channel code */
  vt_decimal period_ms; /* e.g. 4 (250 Hz), 2 (500 Hz) */
  vt_decimal origin;  /* physical value of sample 0, in unit */
  vt_decimal factor;  /* physical units per sample step */
  const char *unit;   /* UCUM, "mV" for ECG */
  uint16_t n;
  const int16_t *samples;
} vt_wave;

#ifdef __cplusplus
}
#endif
#endif
