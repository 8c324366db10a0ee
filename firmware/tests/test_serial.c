/* Serial line protocol: CRC check value, golden frames both ways, every rejection reason,
 * truncation at every length. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "vt_crc16.h"
#include "vt_serial.h"
#include "vt_text.h"

static void crc_check_value_and_vectors(void **state) {
  (void)state;
  assert_int_equal(vt_crc16("123456789", 9), VT_CRC16_CHECK);
  assert_int_equal(VT_CRC16_CHECK, 0x29B1);
  tsv_file *f = tsv_open("crc16.tsv");
  tsv_row r;
  int n = 0;
  while (tsv_next(f, &r)) {
    assert_int_equal(vt_crc16(r.col[0], strlen(r.col[0])), strtoul(r.col[1], NULL, 16));
    n++;
  }
  tsv_close(f);
  assert_true(n >= 4);
  /* Incremental use gives the same CRC. */
  uint16_t c = vt_crc16_update(VT_CRC16_INIT, "1234", 4);
  assert_int_equal(vt_crc16_update(c, "56789", 5), 0x29B1);
}

static void put_opt(vt_text *t, vt_decimal d) {
  if (d.kind == VT_NUM_FINITE) {
    vt_text_decimal(t, d);
  } else {
    vt_text_str(t, "null");
  }
}

static void put_st(vt_text *t, uint16_t st) {
  if (st == 0) {
    vt_text_str(t, "valid");
    return;
  }
  int first = 1;
  for (unsigned i = 0; i < VT_ST_COUNT; i++) {
    if (st & (1u << i)) {
      if (!first) vt_text_char(t, '|');
      vt_text_str(t, vt_status_name(i));
      first = 0;
    }
  }
}

/* The canonical text of a decoded record, as written in serial-frames.tsv. */
static void canonical(const vt_serial_record *rec, char *buf, size_t cap) {
  vt_text t;
  vt_text_init(&t, buf, cap);
  const vt_reading *r = &rec->reading;
  switch (rec->type) {
    case 'H':
      vt_text_str(&t, "H proto=");
      vt_text_u32(&t, rec->proto);
      vt_text_str(&t, " dev=");
      vt_text_str(&t, rec->dev);
      vt_text_str(&t, " boot=");
      vt_text_u32(&t, rec->boot);
      vt_text_str(&t, " fw=");
      vt_text_str(&t, rec->fw);
      break;
    case 'N':
    case 'B':
      vt_text_char(&t, rec->type);
      vt_text_str(&t, " boot=");
      vt_text_u32(&t, r->boot);
      vt_text_str(&t, " seq=");
      vt_text_u32(&t, r->seq);
      vt_text_str(&t, " up=");
      vt_text_u32(&t, r->up_ms);
      if (rec->type == 'N') {
        vt_text_str(&t, " metric=");
        vt_text_str(&t, vt_metric_lookup((vt_metric)r->metric)->name);
      }
      vt_text_str(&t, " st=");
      put_st(&t, r->status);
      if (rec->type == 'N') {
        vt_text_str(&t, " val=");
        put_opt(&t, r->value);
      } else {
        vt_text_str(&t, " sys=");
        put_opt(&t, r->cmp[0]);
        vt_text_str(&t, " dia=");
        put_opt(&t, r->cmp[1]);
        vt_text_str(&t, " mean=");
        put_opt(&t, r->cmp[2]);
        vt_text_str(&t, " pr=");
        put_opt(&t, r->pr);
      }
      break;
    case 'W': {
      const vt_wave *w = &rec->wave;
      vt_text_str(&t, "W boot=");
      vt_text_u32(&t, w->boot);
      vt_text_str(&t, " seq=");
      vt_text_u32(&t, w->seq);
      vt_text_str(&t, " up=");
      vt_text_u32(&t, w->up_ms);
      vt_text_str(&t, " wave=");
      vt_text_str(&t, vt_wave_name((vt_wave_kind)w->kind));
      vt_text_str(&t, " mdc=");
      vt_text_u32(&t, w->mdc);
      vt_text_str(&t, " period=");
      vt_text_decimal(&t, w->period_ms);
      vt_text_str(&t, " origin=");
      vt_text_decimal(&t, w->origin);
      vt_text_str(&t, " factor=");
      vt_text_decimal(&t, w->factor);
      vt_text_str(&t, " st=");
      put_st(&t, w->status);
      vt_text_str(&t, " n=");
      vt_text_u32(&t, w->n);
      vt_text_str(&t, " data=");
      for (uint16_t i = 0; i < w->n; i++) {
        if (i) vt_text_char(&t, ',');
        vt_text_i32(&t, w->samples[i]);
      }
      break;
    }
    default:
      vt_text_str(&t, "?");
  }
  assert_true(vt_text_finish(&t) >= 0);
}

/* Re-encodes a decoded record; the line must equal the golden frame. */
static void reencode(const vt_serial_record *rec, char *buf, size_t cap) {
  int n = -1;
  switch (rec->type) {
    case 'H': n = vt_serial_hello(buf, cap, rec->dev, rec->boot, rec->fw); break;
    case 'N': n = vt_serial_numeric(buf, cap, &rec->reading); break;
    case 'B': n = vt_serial_bp(buf, cap, &rec->reading); break;
    case 'W': n = vt_serial_wave(buf, cap, &rec->wave); break;
  }
  assert_true(n > 1);
  assert_int_equal(buf[n - 1], '\n');
  buf[n - 1] = '\0';
}

static void golden_frames_parse_and_reencode(void **state) {
  (void)state;
  tsv_file *f = tsv_open("serial-frames.tsv");
  tsv_row r;
  int ok = 0, bad = 0;
  static vt_serial_record rec;
  while (tsv_next(f, &r)) {
    size_t len = unescape(r.col[0]);
    vt_serial_error e = vt_serial_parse(r.col[0], len, &rec);
    if (strcmp(r.col[1], "ok") == 0) {
      if (e != VT_SER_OK) fail_msg("line %d: %s rejected: %s", r.lineno, r.col[0], vt_serial_error_reason(e));
      char canon[1024], again[VT_SERIAL_BUF];
      canonical(&rec, canon, sizeof canon);
      assert_string_equal(canon, r.col[2]);
      reencode(&rec, again, sizeof again);
      assert_string_equal(again, r.col[0]);
      /* The same line with CRLF and with LF parses the same. */
      char with_end[VT_SERIAL_BUF + 2];
      snprintf(with_end, sizeof with_end, "%s\r\n", r.col[0]);
      assert_int_equal(vt_serial_parse(with_end, strlen(with_end), &rec), VT_SER_OK);
      ok++;
    } else {
      if (strcmp(vt_serial_error_reason(e), r.col[1]) != 0) {
        fail_msg("line %d: expected %s, got %s", r.lineno, r.col[1], vt_serial_error_reason(e));
      }
      bad++;
    }
  }
  tsv_close(f);
  assert_true(ok >= 8);
  assert_true(bad >= 15);
}

static void every_truncation_of_a_valid_frame_is_rejected(void **state) {
  (void)state;
  tsv_file *f = tsv_open("serial-frames.tsv");
  tsv_row r;
  static vt_serial_record rec;
  while (tsv_next(f, &r)) {
    if (strcmp(r.col[1], "ok") != 0) continue;
    size_t len = strlen(r.col[0]);
    for (size_t cut = 0; cut < len; cut++) {
      /* An exact-size heap copy: ASan catches any read past it. */
      char *copy = malloc(cut + 1);
      memcpy(copy, r.col[0], cut);
      assert_int_not_equal(vt_serial_parse(copy, cut, &rec), VT_SER_OK);
      free(copy);
    }
    /* ... and every single-byte change (a flipped bit) too. */
    for (size_t i = 1; i < len; i++) {
      char *copy = malloc(len);
      memcpy(copy, r.col[0], len);
      copy[i] ^= 0x01;
      assert_int_not_equal(vt_serial_parse(copy, len, &rec), VT_SER_OK);
      free(copy);
    }
  }
  tsv_close(f);
}

static void encoders_refuse_what_the_protocol_cannot_carry(void **state) {
  (void)state;
  char buf[VT_SERIAL_BUF];
  assert_int_equal(vt_serial_hello(buf, sizeof buf, "bad,id", 1, "0.1"), -1);
  assert_int_equal(vt_serial_hello(buf, sizeof buf, "ok", 1, ""), -1);
  assert_int_equal(vt_serial_hello(buf, 8, "ok", 1, "0.1"), -1); /* does not fit */
  int16_t s[VT_SERIAL_MAX_SAMPLES + 1] = {0};
  vt_wave w;
  memset(&w, 0, sizeof w);
  w.kind = VT_WAVE_ECG;
  w.period_ms = (vt_decimal){VT_NUM_FINITE, 4, 0};
  w.origin = (vt_decimal){VT_NUM_FINITE, 0, 0};
  w.factor = (vt_decimal){VT_NUM_FINITE, 5, -3};
  w.samples = s;
  w.n = VT_SERIAL_MAX_SAMPLES + 1;
  assert_int_equal(vt_serial_wave(buf, sizeof buf, &w), -1);
  /* 40 samples of the widest value still fit the line limit. */
  for (int i = 0; i < VT_SERIAL_MAX_SAMPLES; i++) s[i] = -32768;
  w.n = VT_SERIAL_MAX_SAMPLES;
  w.boot = w.seq = w.up_ms = 4294967295u;
  w.mdc = 131330;
  int n = vt_serial_wave(buf, sizeof buf, &w);
  /* 40 x "-32768," is 280 bytes: over the limit, so the encoder must refuse, never cut. */
  assert_int_equal(n, -1);
  for (int i = 0; i < VT_SERIAL_MAX_SAMPLES; i++) s[i] = -99;
  n = vt_serial_wave(buf, sizeof buf, &w);
  assert_true(n > 0 && n <= VT_SERIAL_MAX_LINE + 1);
  static vt_serial_record rec;
  assert_int_equal(vt_serial_parse(buf, (size_t)n, &rec), VT_SER_OK);
  assert_int_equal(rec.wave.n, VT_SERIAL_MAX_SAMPLES);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(crc_check_value_and_vectors),
      cmocka_unit_test(golden_frames_parse_and_reencode),
      cmocka_unit_test(every_truncation_of_a_valid_frame_is_rejected),
      cmocka_unit_test(encoders_refuse_what_the_protocol_cannot_carry),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
