#include "vt_ecg_stream.h"

#include <math.h>
#include <string.h>

int vt_ecg_stream_init(vt_ecg_stream *s, vt_identity *id, const char *dev, const char *fw,
                       uint16_t fs, int mains_hz, float adc_mid, vt_decimal mv_per_count) {
  if (s == NULL || id == NULL) return -1;
  memset(s, 0, sizeof(*s));
  if (vt_ecg_init(&s->ecg, fs, mains_hz) != 0) return -1;
  s->id = id;
  s->dev = dev;
  s->fw = fw;
  s->factor = mv_per_count;
  s->adc_mid = adc_mid;
  /* Heart rate at 0.5 s, 1.5 s, ...: never on the sample that also closes a W batch, so no
   * sample carries two lines' worth of formatting (keeps the Uno within its 4 ms period). */
  s->next_hr_ms = VT_ECG_STREAM_HR_MS / 2u;
  return 0;
}

static void emit(vt_ecg_stream *s, int len, vt_line_sink sink, void *ctx) {
  if (len > 0) sink(s->line, (size_t)len, ctx);
}

void vt_ecg_stream_sample(vt_ecg_stream *s, uint16_t adc, bool lo_plus, bool lo_minus,
                          uint32_t up_ms, vt_line_sink sink, void *ctx) {
  if ((int32_t)(up_ms - s->next_hello_ms) >= 0) {
    emit(s, vt_serial_hello(s->line, sizeof s->line, s->dev, s->id->boot, s->fw), sink, ctx);
    s->next_hello_ms = up_ms + VT_ECG_STREAM_HELLO_MS;
  }
  vt_ecg_out o;
  vt_ecg_step(&s->ecg, (float)adc - s->adc_mid, lo_plus, lo_minus, &o);
  if (s->nbatch == 0) {
    s->batch_up = up_ms;
    s->batch_status = 0;
  }
  float v = o.filtered;
  s->batch[s->nbatch++] = (int16_t)(v > 32767.0f ? 32767 : v < -32768.0f ? -32768 : lroundf(v));
  s->batch_status |= o.status;
  if (s->nbatch == VT_ECG_STREAM_BATCH) {
    vt_wave w;
    memset(&w, 0, sizeof w);
    w.boot = s->id->boot;
    w.seq = vt_identity_next(s->id);
    w.up_ms = s->batch_up;
    w.kind = VT_WAVE_ECG;
    w.status = s->batch_status;
    w.mdc = VT_MDC_ECG_LEAD_II;
    /* period in ms with 3 decimals: 4.000 at 250 Hz, 2.000 at 500 Hz */
    w.period_ms.kind = VT_NUM_FINITE;
    w.period_ms.mantissa = (int32_t)(1000000ul / s->ecg.fs);
    w.period_ms.exponent = -3;
    w.origin.kind = VT_NUM_FINITE;
    w.origin.mantissa = 0;
    w.origin.exponent = 0;
    w.factor = s->factor;
    w.unit = "mV";
    w.n = s->nbatch;
    w.samples = s->batch;
    emit(s, vt_serial_wave(s->line, sizeof s->line, &w), sink, ctx);
    s->nbatch = 0;
  }
  if ((int32_t)(up_ms - s->next_hr_ms) >= 0) {
    vt_reading r;
    memset(&r, 0, sizeof r);
    r.boot = s->id->boot;
    r.seq = vt_identity_next(s->id);
    r.up_ms = up_ms;
    r.metric = VT_METRIC_HR;
    r.status = vt_ecg_heart_rate(&s->ecg, &r.value);
    emit(s, vt_serial_numeric(s->line, sizeof s->line, &r), sink, ctx);
    s->next_hr_ms = up_ms + VT_ECG_STREAM_HR_MS;
  }
}
