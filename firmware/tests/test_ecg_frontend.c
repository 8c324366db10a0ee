/* ECG front end on a real record: heart rate against the reference annotations, leads-off
 * handling, and the serial stream the Uno sends. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "vt_ecg.h"
#include "vt_ecg_stream.h"
#include "vt_serial.h"
#include "wfdb.h"

#define FS 250

typedef struct {
  wfdb_header h;
  int16_t *sig;
  wfdb_ann *ann;
  size_t nann;
} record;

static void load(record *r, const char *name) {
  char path[1200], err[512];
  const char *dir = shared_data_dir();
  snprintf(path, sizeof path, "%s/mitdb/%s.hea", dir, name);
  if (wfdb_read_header(path, &r->h, err, sizeof err) != 0) {
    fail_msg("%s (MIT-BIH data missing? set VITALS_SHARED_DATA)", err);
  }
  snprintf(path, sizeof path, "%s/mitdb/%s", dir, r->h.file[0]);
  if (wfdb_read_212(path, &r->h, &r->sig, err, sizeof err) != 0) fail_msg("%s", err);
  snprintf(path, sizeof path, "%s/mitdb/%s.atr", dir, name);
  if (wfdb_read_atr(path, &r->ann, &r->nann, err, sizeof err) != 0) fail_msg("%s", err);
}

/* Lead MLII at time t (s), resampled to the node rate, in ADC-like counts around 512. */
static float sample_at(const record *r, long i) {
  double t = (double)i / FS * r->h.fs;
  long k = (long)t;
  double a = r->sig[k * 2], b = r->sig[(k + 1) * 2];
  return (float)(512.0 + (a + (b - a) * (t - k) - r->h.zero[0]) / 2.0);
}

/* Reference heart rate at t: 60 / median of the 8 reference RR intervals before t. */
static double reference_hr(const record *r, double t) {
  double beats[9];
  int n = 0;
  for (size_t i = r->nann; i-- > 0 && n < 9;) {
    double bt = r->ann[i].sample / r->h.fs;
    if (bt <= t && wfdb_is_qrs(r->ann[i].type)) beats[n++] = bt;
  }
  if (n < 9) return NAN;
  double rr[8];
  for (int i = 0; i < 8; i++) rr[i] = beats[i] - beats[i + 1];
  for (int i = 1; i < 8; i++) {
    double v = rr[i];
    int j = i - 1;
    while (j >= 0 && rr[j] > v) rr[j + 1] = rr[j], j--;
    rr[j + 1] = v;
  }
  return 60.0 / ((rr[3] + rr[4]) / 2);
}

static void heart_rate_follows_the_reference_and_leads_off_withholds_it(void **state) {
  (void)state;
  record r;
  load(&r, "101");
  vt_ecg e;
  assert_int_equal(vt_ecg_init(&e, FS, 60), 0);
  long compared = 0, close = 0, lead_off_samples = 0, settling_samples = 0;
  long off_from = 120L * FS, off_to = 125L * FS; /* LO+ high for 5 s */
  long first_valid_after = -1;
  for (long i = 0; i < 300L * FS; i++) {
    bool off = i >= off_from && i < off_to;
    vt_ecg_out o;
    vt_ecg_step(&e, sample_at(&r, i), off, false, &o);
    if (off) {
      assert_int_equal(o.status, VT_ST_LEAD_OFF);
      assert_false(o.beat);
      assert_true(o.filtered == 0.0f);
      lead_off_samples++;
    }
    if (o.status == VT_ST_NO_SIGNAL) settling_samples++;
    if (i % FS != 0) continue;
    vt_decimal hr;
    uint16_t st = vt_ecg_heart_rate(&e, &hr);
    if (off) assert_int_equal(st, VT_ST_LEAD_OFF);
    if (i >= off_to && i < off_to + 2L * FS) assert_int_equal(st, VT_ST_NO_SIGNAL);
    if (st == 0) {
      assert_int_equal(hr.kind, VT_NUM_FINITE);
      if (i >= off_to && first_valid_after < 0) first_valid_after = i - off_to;
      double ref = reference_hr(&r, (double)i / FS);
      if (!isnan(ref)) {
        compared++;
        if (fabs(hr.mantissa - ref) <= 3.0) close++;
      }
    } else {
      assert_int_not_equal(hr.kind, VT_NUM_FINITE);
    }
  }
  print_message("HR within 3/min of the reference in %ld of %ld seconds; valid again %.1f s "
                "after the electrode came back\n", close, compared, first_valid_after / (double)FS);
  assert_int_equal(lead_off_samples, off_to - off_from);
  assert_int_equal(settling_samples, 2L * FS);
  assert_true(compared > 250);
  assert_true(close >= compared * 95 / 100);
  assert_true(first_valid_after > 0 && first_valid_after < 15L * FS);
  free(r.sig);
  free(r.ann);
}

typedef struct {
  int hello, wave, numeric, bad;
  uint32_t last_seq, boot;
  long wave_samples;
  uint32_t last_wave_up;
  int hr_valid, hr_lead_off;
} sink_state;

static void sink(const char *line, size_t len, void *ctx) {
  sink_state *s = ctx;
  static vt_serial_record rec;
  assert_true(len <= VT_SERIAL_MAX_LINE + 1);
  assert_int_equal(line[len - 1], '\n');
  vt_serial_error e = vt_serial_parse(line, len, &rec);
  if (e != VT_SER_OK) {
    s->bad++;
    return;
  }
  if (rec.type == 'H') {
    s->hello++;
    assert_int_equal(rec.boot, s->boot);
    assert_string_equal(rec.dev, "uno-ecg-01");
    return;
  }
  uint32_t seq = rec.type == 'W' ? rec.wave.seq : rec.reading.seq;
  if (s->wave + s->numeric > 0) assert_int_equal(seq, s->last_seq + 1);
  s->last_seq = seq;
  if (rec.type == 'W') {
    if (s->wave > 0) assert_int_equal(rec.wave.up_ms - s->last_wave_up, 100); /* contiguous */
    s->last_wave_up = rec.wave.up_ms;
    s->wave++;
    s->wave_samples += rec.wave.n;
  } else {
    assert_int_equal(rec.type, 'N');
    assert_int_equal(rec.reading.metric, VT_METRIC_HR);
    s->numeric++;
    if (rec.reading.value.kind == VT_NUM_FINITE) s->hr_valid++;
    if (rec.reading.status & VT_ST_LEAD_OFF) s->hr_lead_off++;
  }
}

static void uno_stream_lines_parse_back(void **state) {
  (void)state;
  record r;
  load(&r, "101");
  vt_identity id = {42, 0};
  static vt_ecg_stream st;
  vt_decimal factor = {VT_NUM_FINITE, 322, -5}; /* 3.3 V / 1024 / gain 1100 ~ 0.00322 mV */
  assert_int_equal(vt_ecg_stream_init(&st, &id, "uno-ecg-01", "0.1.0", FS, 50, 512.0f, factor), 0);
  sink_state s;
  memset(&s, 0, sizeof s);
  s.boot = 42;
  for (long i = 0; i < 60L * FS; i++) {
    bool off = i >= 40L * FS && i < 45L * FS;
    uint16_t adc = (uint16_t)lroundf(sample_at(&r, i));
    vt_ecg_stream_sample(&st, adc, off, false, (uint32_t)(i * 1000 / FS), sink, &s);
  }
  assert_int_equal(s.bad, 0);
  assert_int_equal(s.hello, 6);                 /* at 0 s and every 10 s */
  assert_int_equal(s.wave_samples, 60L * FS);   /* no sample lost */
  assert_int_equal(s.numeric, 60);              /* one HR line a second */
  assert_true(s.hr_lead_off >= 5);
  print_message("%d of 60 HR lines carry a value\n", s.hr_valid);
  assert_true(s.hr_valid >= 30); /* learning 4 s + 4 RR at start and after the 5-s lead-off */
  free(r.sig);
  free(r.ann);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(heart_rate_follows_the_reference_and_leads_off_withholds_it),
      cmocka_unit_test(uno_stream_lines_parse_back),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
