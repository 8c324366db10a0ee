/* SFLOAT / FLOAT against the golden vectors, encode/decode round trips, bounds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "vt_ieee11073.h"
#include "vt_text.h"

static vt_num_kind kind_of(const char *s) {
  if (strcmp(s, "finite") == 0) return VT_NUM_FINITE;
  if (strcmp(s, "nan") == 0) return VT_NUM_NAN;
  if (strcmp(s, "nres") == 0) return VT_NUM_NRES;
  if (strcmp(s, "pos_inf") == 0) return VT_NUM_POS_INF;
  if (strcmp(s, "neg_inf") == 0) return VT_NUM_NEG_INF;
  if (strcmp(s, "reserved") == 0) return VT_NUM_RESERVED;
  fail_msg("unknown kind %s", s);
  return VT_NUM_RESERVED;
}

static void check_file(const char *name, int bits) {
  tsv_file *f = tsv_open(name);
  tsv_row r;
  int rows = 0;
  while (tsv_next(f, &r)) {
    uint32_t raw = (uint32_t)strtoul(r.col[0], NULL, 16);
    vt_num_kind k = kind_of(r.col[1]);
    vt_decimal d = bits == 16 ? vt_sfloat_decode((uint16_t)raw) : vt_float_decode(raw);
    assert_int_equal(d.kind, k);
    if (k == VT_NUM_FINITE) {
      assert_int_equal(d.mantissa, atol(r.col[2]));
      assert_int_equal(d.exponent, atoi(r.col[3]));
      if (r.col[4][0] != '\0') {
        char buf[64];
        vt_text t;
        vt_text_init(&t, buf, sizeof buf);
        vt_text_decimal(&t, d);
        assert_true(vt_text_finish(&t) > 0);
        assert_string_equal(buf, r.col[4]);
      }
    }
    /* Encoding the decoded value gives the same word back (canonical vectors only). */
    if (bits == 16) {
      uint16_t back;
      assert_int_equal(vt_sfloat_encode(d, &back), VT_NUM_OK);
      assert_int_equal(back, raw);
    } else {
      uint32_t back;
      assert_int_equal(vt_float_encode(d, &back), VT_NUM_OK);
      assert_int_equal(back, raw);
    }
    rows++;
  }
  tsv_close(f);
  assert_true(rows >= 10);
}

static void sfloat_golden_vectors(void **state) {
  (void)state;
  check_file("sfloat.tsv", 16);
}

static void float_golden_vectors(void **state) {
  (void)state;
  check_file("float.tsv", 32);
}

static void every_sfloat_word_decodes_and_finite_ones_round_trip(void **state) {
  (void)state;
  int finite = 0;
  for (uint32_t w = 0; w <= 0xFFFF; w++) {
    vt_decimal d = vt_sfloat_decode((uint16_t)w);
    if (d.kind != VT_NUM_FINITE) continue;
    finite++;
    assert_true(d.mantissa >= -2048 && d.mantissa <= 2047);
    uint16_t back;
    vt_num_status st = vt_sfloat_encode(d, &back);
    if (d.mantissa > 2045 || d.mantissa < -2045) {
      assert_int_equal(st, VT_NUM_ERANGE); /* the design rule keeps encoders away */
    } else {
      assert_int_equal(st, VT_NUM_OK);
      assert_int_equal(back, w);
    }
  }
  assert_int_equal(finite, 65536 - 5);
}

static void encoder_rejects_what_does_not_fit(void **state) {
  (void)state;
  vt_decimal d = {VT_NUM_FINITE, 2046, 0};
  uint16_t s;
  uint32_t f;
  assert_int_equal(vt_sfloat_encode(d, &s), VT_NUM_ERANGE);
  d.mantissa = 10;
  d.exponent = 8;
  assert_int_equal(vt_sfloat_encode(d, &s), VT_NUM_EINVAL);
  d.exponent = 0;
  d.mantissa = 8388606;
  assert_int_equal(vt_float_encode(d, &f), VT_NUM_ERANGE);
  assert_int_equal(vt_sfloat_encode(d, NULL), VT_NUM_EINVAL);
}

static void from_double_rounds_at_the_requested_exponent(void **state) {
  (void)state;
  vt_decimal d;
  assert_int_equal(vt_decimal_from_double(36.54, -1, 2045, &d), VT_NUM_OK);
  assert_int_equal(d.mantissa, 365);
  assert_int_equal(d.exponent, -1);
  assert_int_equal(vt_decimal_from_double(-0.25, -2, 2045, &d), VT_NUM_OK);
  assert_int_equal(d.mantissa, -25);
  assert_int_equal(vt_decimal_from_double(250.0, 0, 200, &d), VT_NUM_ERANGE);
  assert_int_equal(vt_decimal_from_double(NAN, 0, 2045, &d), VT_NUM_OK);
  assert_int_equal(d.kind, VT_NUM_NAN);
  assert_int_equal(vt_decimal_from_double(-INFINITY, 0, 2045, &d), VT_NUM_OK);
  assert_int_equal(d.kind, VT_NUM_NEG_INF);
  vt_decimal x = {VT_NUM_FINITE, 365, -1};
  assert_true(fabs(vt_decimal_to_double(x) - 36.5) < 1e-12);
}

static void little_endian_readers_never_read_past_the_buffer(void **state) {
  (void)state;
  uint8_t b[4] = {0x6D, 0x01, 0x00, 0xFF};
  uint16_t v16;
  uint32_t v32;
  assert_int_equal(vt_le_u16(b, 2, 0, &v16), 0);
  assert_int_equal(v16, 0x016D);
  assert_int_equal(vt_le_u16(b, 2, 1, &v16), -1);
  assert_int_equal(vt_le_u16(b, 2, 3, &v16), -1);
  assert_int_equal(vt_le_u32(b, 4, 0, &v32), 0);
  assert_int_equal(v32, 0xFF00016Du);
  assert_int_equal(vt_le_u32(b, 3, 0, &v32), -1);
  assert_int_equal(vt_le_u24(b, 3, 0, &v32), 0);
  assert_int_equal(v32, 0x00016Du);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sfloat_golden_vectors),
      cmocka_unit_test(float_golden_vectors),
      cmocka_unit_test(every_sfloat_word_decodes_and_finite_ones_round_trip),
      cmocka_unit_test(encoder_rejects_what_does_not_fit),
      cmocka_unit_test(from_double_rounds_at_the_requested_exponent),
      cmocka_unit_test(little_endian_readers_never_read_past_the_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
