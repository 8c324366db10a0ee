/* MQTT JSON reading encoder: byte-exact against the golden JSON files, which the Java
 * gateway's decoder tests read too; never writes past a short buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "vt_json.h"

static const vt_json_device ESP = {"esp32-a1b2c3", "max30102", "0.1.0"};

static void expect_file(const char *name, const char *got, int len) {
  char path[256];
  snprintf(path, sizeof path, "json/%s", name);
  size_t n;
  char *want = read_text(vectors_path(path), &n);
  assert_int_equal(len, (int)n);
  assert_string_equal(got, want);
  free(want);
}

static vt_reading base(uint32_t seq, int64_t ts, uint32_t up, vt_metric m) {
  vt_reading r;
  memset(&r, 0, sizeof r);
  r.boot = 17;
  r.seq = seq;
  r.ts_ms = ts;
  r.tsq = VT_TSQ_NTP;
  r.up_ms = up;
  r.metric = (uint8_t)m;
  r.value.kind = VT_NUM_NAN;
  return r;
}

/* Every shorter buffer is refused (-1) and never overrun (exact-size heap copies: ASan). */
static void check_short_buffers(const vt_json_device *d, const vt_reading *r, int full) {
  for (int cap = 0; cap <= full; cap++) {
    char *b = malloc((size_t)cap + 1);
    assert_int_equal(vt_json_reading(cap ? b : NULL, (size_t)cap, d, r), -1);
    free(b);
  }
}

static void spo2_and_pr(void **state) {
  (void)state;
  char buf[512];
  vt_reading r = base(12345, 1732680000123LL, 4711230, VT_METRIC_SPO2);
  r.value = (vt_decimal){VT_NUM_FINITE, 97, 0};
  int n = vt_json_reading(buf, sizeof buf, &ESP, &r);
  expect_file("spo2-valid.json", buf, n);
  check_short_buffers(&ESP, &r, n);

  r = base(12346, 1732680001123LL, 4712230, VT_METRIC_PR);
  r.status = VT_ST_PROBE_OFF;
  r.value = (vt_decimal){VT_NUM_FINITE, 80, 0}; /* a number with probe_off is never sent */
  n = vt_json_reading(buf, sizeof buf, &ESP, &r);
  expect_file("pr-probe-off.json", buf, n);
}

static void hr_without_clock_and_temperature(void **state) {
  (void)state;
  char buf[512];
  vt_json_device uno = {"uno-ecg-01", NULL, NULL};
  vt_reading r = base(7, 0, 5000, VT_METRIC_HR);
  r.boot = 3;
  r.tsq = VT_TSQ_NONE;
  r.status = VT_ST_LEAD_OFF;
  int n = vt_json_reading(buf, sizeof buf, &uno, &r);
  expect_file("hr-lead-off-no-clock.json", buf, n);

  vt_json_device esp = {"esp32-a1b2c3", NULL, NULL};
  r = base(12347, 1732680002000LL, 4713107, VT_METRIC_TEMP);
  r.value = (vt_decimal){VT_NUM_FINITE, 365, -1};
  n = vt_json_reading(buf, sizeof buf, &esp, &r);
  expect_file("temp-one-decimal.json", buf, n);
}

static void blood_pressure(void **state) {
  (void)state;
  char buf[512];
  vt_json_device cuff = {"esp32-a1b2c3", "ble-2a35", "0.1.0"};
  vt_reading r = base(12348, 1541936295000LL, 4714000, VT_METRIC_BP);
  r.tsq = VT_TSQ_RTC;
  r.cmp[0] = (vt_decimal){VT_NUM_FINITE, 116, 0};
  r.cmp[1] = (vt_decimal){VT_NUM_FINITE, 71, 0};
  r.cmp[2] = (vt_decimal){VT_NUM_FINITE, 86, 0};
  r.has_pr = true;
  r.pr = (vt_decimal){VT_NUM_FINITE, 72, 0};
  int n = vt_json_reading(buf, sizeof buf, &cuff, &r);
  expect_file("bp-from-gatt-example.json", buf, n);
  check_short_buffers(&cuff, &r, n);

  vt_json_device esp = {"esp32-a1b2c3", NULL, NULL};
  r = base(12349, 1732680003000LL, 4715000, VT_METRIC_BP);
  r.cmp[0] = (vt_decimal){VT_NUM_FINITE, 121, 0};
  r.cmp[1] = (vt_decimal){VT_NUM_FINITE, 80, 0};
  r.cmp[2].kind = VT_NUM_NAN;
  r.status = VT_ST_MOTION;
  n = vt_json_reading(buf, sizeof buf, &esp, &r);
  expect_file("bp-no-mean-motion.json", buf, n);
}

static void ecg_chunk_and_status(void **state) {
  (void)state;
  char buf[1024];
  vt_json_device ecg = {"esp32-a1b2c3", "ad8232", "0.1.0"};
  int16_t s[] = {12, 15, -19, 523, -32768, 32767};
  vt_wave w;
  memset(&w, 0, sizeof w);
  w.boot = 17;
  w.seq = 12350;
  w.up_ms = 4716000;
  w.t0_ms = 1732680004000LL;
  w.tsq = VT_TSQ_NTP;
  w.kind = VT_WAVE_ECG;
  w.mdc = VT_MDC_ECG_LEAD_II;
  w.period_ms = (vt_decimal){VT_NUM_FINITE, 4000, -3};
  w.origin = (vt_decimal){VT_NUM_FINITE, 0, 0};
  w.factor = (vt_decimal){VT_NUM_FINITE, 322, -5};
  w.n = 6;
  w.samples = s;
  int n = vt_json_ecg(buf, sizeof buf, &ecg, &w);
  expect_file("ecg-chunk.json", buf, n);
  w.tsq = VT_TSQ_NONE; /* the schema requires ts for ECG */
  assert_int_equal(vt_json_ecg(buf, sizeof buf, &ecg, &w), -1);

  n = vt_json_status(buf, sizeof buf, true, 17, "0.1.0");
  expect_file("status-online.json", buf, n);
  n = vt_json_status(buf, sizeof buf, false, 17, "0.1.0");
  expect_file("status-offline.json", buf, n);
}

static void topics_and_ids(void **state) {
  (void)state;
  char buf[128];
  assert_true(vt_json_topic(buf, sizeof buf, "ward3", "esp32-a1b2c3", "spo2") > 0);
  assert_string_equal(buf, "vitals/v1/ward3/esp32-a1b2c3/spo2");
  assert_int_equal(vt_json_topic(buf, sizeof buf, "ward/3", "x", "spo2"), -1);
  assert_int_equal(vt_json_topic(buf, sizeof buf, "w", "a+b", "spo2"), -1);
  assert_false(vt_json_valid_id(""));
  char long_id[66];
  memset(long_id, 'a', 65);
  long_id[65] = '\0';
  assert_false(vt_json_valid_id(long_id));
  long_id[64] = '\0';
  assert_true(vt_json_valid_id(long_id));
  vt_json_device bad = {"bad id", NULL, NULL};
  vt_reading r = base(1, 1, 1, VT_METRIC_HR);
  assert_int_equal(vt_json_reading(buf, sizeof buf, &bad, &r), -1);
  r.metric = VT_METRIC_COUNT;
  assert_int_equal(vt_json_reading(buf, sizeof buf, &ESP, &r), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(spo2_and_pr),
      cmocka_unit_test(hr_without_clock_and_temperature),
      cmocka_unit_test(blood_pressure),
      cmocka_unit_test(ecg_chunk_and_status),
      cmocka_unit_test(topics_and_ids),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
