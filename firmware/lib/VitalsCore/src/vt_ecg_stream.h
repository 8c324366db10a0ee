/* The ECG node's serial stream: turns timer-driven AD8232 samples into protocol lines
 * (vt_serial.h): filtered samples in W lines of VT_ECG_STREAM_BATCH, a heart-rate N line
 * every second, and H hello lines at start and every 10 s (so a gateway that opens the
 * port late still learns the device id and boot). The sketch only moves bytes. */
#ifndef VT_ECG_STREAM_H
#define VT_ECG_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "vt_ecg.h"
#include "vt_serial.h"
#include "vt_store.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef VT_ECG_STREAM_BATCH
#define VT_ECG_STREAM_BATCH 25 /* 100 ms at 250 Hz */
#endif
#define VT_ECG_STREAM_HELLO_MS 10000u
#define VT_ECG_STREAM_HR_MS 1000u

typedef void (*vt_line_sink)(const char *line, size_t len, void *ctx);

typedef struct {
  vt_ecg ecg;
  vt_identity *id;
  const char *dev, *fw;
  vt_decimal factor;  /* mV per ADC count at the ECG output (front-end gain, ADC ref) */
  int16_t batch[VT_ECG_STREAM_BATCH];
  uint8_t nbatch;
  uint16_t batch_status;
  uint32_t batch_up;
  uint32_t next_hr_ms, next_hello_ms;
  float adc_mid;      /* ADC counts of 0 mV (AD8232 output sits at REFOUT ~ Vs/2) */
  char line[VT_SERIAL_BUF];
} vt_ecg_stream;

int vt_ecg_stream_init(vt_ecg_stream *s, vt_identity *id, const char *dev, const char *fw,
                       uint16_t fs, int mains_hz, float adc_mid, vt_decimal mv_per_count);

/* One sample taken at uptime up_ms. Emits zero or more complete lines to sink. */
void vt_ecg_stream_sample(vt_ecg_stream *s, uint16_t adc, bool lo_plus, bool lo_minus,
                          uint32_t up_ms, vt_line_sink sink, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
