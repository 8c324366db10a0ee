/* BLE Blood Pressure Measurement 0x2A35: vectors, and cuff bytes -> MQTT JSON end to end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "vt_gatt_bp.h"
#include "vt_json.h"
#include "vt_text.h"

static const char *reason(vt_gatt_status s) {
  switch (s) {
    case VT_GATT_OK: return "ok";
    case VT_GATT_E_TRUNCATED: return "truncated";
    case VT_GATT_E_RESERVED: return "reserved";
    case VT_GATT_E_TRAILING: return "trailing";
  }
  return "?";
}

static void put(vt_text *t, const char *key, vt_decimal d) {
  vt_text_char(t, ' ');
  vt_text_str(t, key);
  vt_text_char(t, '=');
  if (d.kind == VT_NUM_FINITE) {
    vt_text_decimal(t, d);
  } else {
    vt_text_str(t, d.kind == VT_NUM_NAN ? "nan" : "special");
  }
}

static void vectors(void **state) {
  (void)state;
  tsv_file *f = tsv_open("gatt-bp.tsv");
  tsv_row r;
  int rows = 0;
  while (tsv_next(f, &r)) {
    uint8_t b[64];
    int n = hex_bytes(r.col[0], b, sizeof b);
    assert_true(n >= 0);
    /* exact-size heap copy, so ASan sees any over-read */
    uint8_t *copy = malloc((size_t)n + 1);
    memcpy(copy, b, (size_t)n);
    vt_gatt_bp m;
    vt_gatt_status st = vt_gatt_bp_decode(copy, (size_t)n, &m);
    free(copy);
    if (strcmp(reason(st), r.col[1]) != 0) {
      fail_msg("line %d: expected %s, got %s", r.lineno, r.col[1], reason(st));
    }
    if (st == VT_GATT_OK) {
      char buf[256];
      vt_text t;
      vt_text_init(&t, buf, sizeof buf);
      vt_text_str(&t, m.kpa ? "unit=kPa" : "unit=mmHg");
      put(&t, "sys", m.sys);
      put(&t, "dia", m.dia);
      put(&t, "map", m.map);
      if (m.has_time) {
        char ts[40];
        snprintf(ts, sizeof ts, " time=%04u-%02u-%02uT%02u:%02u:%02u", m.year, m.month, m.day,
                 m.hour, m.minute, m.second);
        vt_text_str(&t, ts);
      }
      if (m.has_pulse) put(&t, "pulse", m.pulse);
      if (m.has_user) {
        vt_text_str(&t, " user=");
        vt_text_u32(&t, m.user);
      }
      if (m.has_status) {
        vt_text_str(&t, " status=0x");
        vt_text_hex16(&t, m.status);
      }
      assert_true(vt_text_finish(&t) > 0);
      assert_string_equal(buf, r.col[2]);
    }
    rows++;
  }
  tsv_close(f);
  assert_true(rows >= 10);
}

static void cuff_bytes_become_the_golden_json(void **state) {
  (void)state;
  uint8_t b[32];
  int n = hex_bytes("1E740047005600E2070B0B0B260F4800010000", b, sizeof b);
  vt_gatt_bp m;
  assert_int_equal(vt_gatt_bp_decode(b, (size_t)n, &m), VT_GATT_OK);
  vt_reading r;
  memset(&r, 0, sizeof r);
  r.boot = 17;
  r.seq = 12348;
  r.up_ms = 4714000;
  r.tsq = VT_TSQ_RTC;
  r.ts_ms = 1541936295000LL; /* the cuff's own clock: 2018-11-11T11:38:15Z */
  vt_gatt_bp_to_reading(&m, &r);
  char json[512];
  vt_json_device d = {"esp32-a1b2c3", "ble-2a35", "0.1.0"};
  int len = vt_json_reading(json, sizeof json, &d, &r);
  size_t want_len;
  char *want = read_text(vectors_path("json/bp-from-gatt-example.json"), &want_len);
  assert_int_equal(len, (int)want_len);
  assert_string_equal(json, want);
  free(want);
}

static void kpa_is_converted_and_special_values_withhold(void **state) {
  (void)state;
  uint8_t b[16];
  int n = hex_bytes("01A1F09FF0FF07", b, sizeof b);
  vt_gatt_bp m;
  assert_int_equal(vt_gatt_bp_decode(b, (size_t)n, &m), VT_GATT_OK);
  vt_reading r;
  memset(&r, 0, sizeof r);
  vt_gatt_bp_to_reading(&m, &r);
  assert_int_equal(r.cmp[0].mantissa, 121); /* 16.1 kPa = 120.76 mm[Hg] */
  assert_int_equal(r.cmp[1].mantissa, 119);
  assert_int_equal(r.cmp[2].kind, VT_NUM_NAN);
  assert_true(vt_reading_has_value(&r));
  /* systolic NaN: the whole reading is withheld with status nan */
  n = hex_bytes("00FF07470056", b, sizeof b);
  n = hex_bytes("00FF0747005600", b, sizeof b);
  assert_int_equal(vt_gatt_bp_decode(b, (size_t)n, &m), VT_GATT_OK);
  memset(&r, 0, sizeof r);
  vt_gatt_bp_to_reading(&m, &r);
  assert_true(r.status & VT_ST_NAN);
  assert_false(vt_reading_has_value(&r));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(vectors),
      cmocka_unit_test(cuff_bytes_become_the_golden_json),
      cmocka_unit_test(kpa_is_converted_and_special_values_withhold),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
