/* Serial line protocol: see vt_serial.h and docs/wire-format.md. */
#include "vt_serial.h"

#include <string.h>

#include "vt_crc16.h"
#include "vt_text.h"

static const char *const REASONS[VT_SER_E_COUNT] = {
    "ok",          "empty",        "comment",      "too-long",     "no-start",  "no-crc",      "bad-char",
    "bad-crc",     "unknown-type", "field-count",  "bad-field", "out-of-range"};

const char *vt_serial_error_reason(vt_serial_error e) {
  return (unsigned)e < VT_SER_E_COUNT ? REASONS[e] : "unknown";
}

/* ---------- encoding ---------- */

static void put_status(vt_text *t, uint16_t st) {
  if (st == 0) {
    vt_text_str(t, "valid");
    return;
  }
  bool first = true;
  for (unsigned i = 0; i < VT_ST_COUNT; i++) {
    if (st & (1u << i)) {
      if (!first) vt_text_char(t, '|');
      vt_text_str(t, vt_status_name(i));
      first = false;
    }
  }
}

/* Appends "*CRC\n" over buf[1..len) and checks the length limit. */
static int seal(vt_text *t) {
  if (t->overflow) return -1;
  uint16_t crc = vt_crc16(t->buf + 1, t->len - 1);
  vt_text_char(t, '*');
  vt_text_hex16(t, crc);
  if (t->overflow || t->len > VT_SERIAL_MAX_LINE) return -1;
  vt_text_char(t, '\n');
  return vt_text_finish(t);
}

static bool valid_token(const char *s, size_t max, bool allow_dot) {
  if (s == NULL) return false;
  size_t n = strlen(s);
  if (n == 0 || n > max) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || (allow_dot && c == '.');
    if (!ok) return false;
  }
  return true;
}

int vt_serial_hello(char *buf, size_t cap, const char *dev, uint32_t boot, const char *fw) {
  if (!valid_token(dev, VT_SERIAL_MAX_DEV, true) || !valid_token(fw, VT_SERIAL_MAX_FW, true)) {
    return -1;
  }
  vt_text t;
  vt_text_init(&t, buf, cap);
  vt_text_str(&t, "$H,");
  vt_text_u32(&t, VT_SERIAL_PROTO);
  vt_text_char(&t, ',');
  vt_text_str(&t, dev);
  vt_text_char(&t, ',');
  vt_text_u32(&t, boot);
  vt_text_char(&t, ',');
  vt_text_str(&t, fw);
  return seal(&t);
}

static void put_identity(vt_text *t, char type, uint32_t boot, uint32_t seq, uint32_t up) {
  vt_text_char(t, '$');
  vt_text_char(t, type);
  vt_text_char(t, ',');
  vt_text_u32(t, boot);
  vt_text_char(t, ',');
  vt_text_u32(t, seq);
  vt_text_char(t, ',');
  vt_text_u32(t, up);
  vt_text_char(t, ',');
}

static void put_opt(vt_text *t, vt_decimal d) {
  if (d.kind == VT_NUM_FINITE) vt_text_decimal(t, d);
}

int vt_serial_numeric(char *buf, size_t cap, const vt_reading *r) {
  if (r == NULL || r->metric == VT_METRIC_BP) return -1;
  const vt_metric_info *mi = vt_metric_lookup((vt_metric)r->metric);
  if (mi == NULL) return -1;
  vt_text t;
  vt_text_init(&t, buf, cap);
  put_identity(&t, 'N', r->boot, r->seq, r->up_ms);
  vt_text_str(&t, mi->name);
  vt_text_char(&t, ',');
  put_status(&t, r->status);
  vt_text_char(&t, ',');
  if (vt_reading_has_value(r)) vt_text_decimal(&t, r->value);
  return seal(&t);
}

int vt_serial_bp(char *buf, size_t cap, const vt_reading *r) {
  if (r == NULL || r->metric != VT_METRIC_BP) return -1;
  vt_text t;
  vt_text_init(&t, buf, cap);
  put_identity(&t, 'B', r->boot, r->seq, r->up_ms);
  put_status(&t, r->status);
  bool has = vt_reading_has_value(r);
  for (int i = 0; i < 3; i++) {
    vt_text_char(&t, ',');
    if (has) put_opt(&t, r->cmp[i]);
  }
  vt_text_char(&t, ',');
  if (has && r->has_pr) put_opt(&t, r->pr);
  return seal(&t);
}

int vt_serial_wave(char *buf, size_t cap, const vt_wave *w) {
  if (w == NULL || vt_wave_name((vt_wave_kind)w->kind) == NULL || w->n == 0 ||
      w->n > VT_SERIAL_MAX_SAMPLES || w->samples == NULL || w->period_ms.kind != VT_NUM_FINITE ||
      w->origin.kind != VT_NUM_FINITE || w->factor.kind != VT_NUM_FINITE) {
    return -1;
  }
  vt_text t;
  vt_text_init(&t, buf, cap);
  put_identity(&t, 'W', w->boot, w->seq, w->up_ms);
  vt_text_str(&t, vt_wave_name((vt_wave_kind)w->kind));
  vt_text_char(&t, ',');
  vt_text_u32(&t, w->mdc);
  vt_text_char(&t, ',');
  vt_text_decimal(&t, w->period_ms);
  vt_text_char(&t, ',');
  vt_text_decimal(&t, w->origin);
  vt_text_char(&t, ',');
  vt_text_decimal(&t, w->factor);
  vt_text_char(&t, ',');
  put_status(&t, w->status);
  for (uint16_t i = 0; i < w->n; i++) {
    vt_text_char(&t, ',');
    vt_text_i32(&t, w->samples[i]);
  }
  return seal(&t);
}

/* ---------- parsing ---------- */

#define MAX_FIELDS (10 + VT_SERIAL_MAX_SAMPLES + 1)

typedef struct {
  const char *p;
  size_t n;
} field;

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1; /* lower case is not accepted: one spelling per CRC */
}

static bool parse_u32(field f, uint32_t *out) {
  if (f.n == 0 || f.n > 10) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < f.n; i++) {
    if (f.p[i] < '0' || f.p[i] > '9') return false;
    v = v * 10u + (uint64_t)(f.p[i] - '0');
  }
  if (v > 0xFFFFFFFFull) return false;
  *out = (uint32_t)v;
  return true;
}

/* Plain decimal: -?digits(.digits)? with at most 9 significant digits and 8 decimals. */
static vt_serial_error parse_decimal(field f, vt_decimal *out) {
  size_t i = 0;
  bool neg = false;
  if (f.n == 0) return VT_SER_E_BAD_FIELD;
  if (f.p[0] == '-') {
    neg = true;
    i = 1;
  }
  int64_t m = 0;
  int digits = 0, frac = 0;
  bool dot = false, any = false;
  for (; i < f.n; i++) {
    char c = f.p[i];
    if (c == '.') {
      if (dot || !any) return VT_SER_E_BAD_FIELD;
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') return VT_SER_E_BAD_FIELD;
    any = true;
    if (dot) frac++;
    if (m != 0 || c != '0') digits++;
    if (digits > 9 || frac > 8) return VT_SER_E_OUT_OF_RANGE;
    m = m * 10 + (c - '0');
  }
  if (!any || (dot && frac == 0)) return VT_SER_E_BAD_FIELD;
  out->kind = VT_NUM_FINITE;
  out->mantissa = (int32_t)(neg ? -m : m);
  out->exponent = (int8_t)-frac;
  return VT_SER_OK;
}

static vt_serial_error parse_i16(field f, int16_t *out) {
  size_t i = 0;
  bool neg = false;
  if (f.n == 0) return VT_SER_E_BAD_FIELD;
  if (f.p[0] == '-') {
    neg = true;
    i = 1;
    if (f.n == 1) return VT_SER_E_BAD_FIELD;
  }
  int32_t v = 0;
  for (; i < f.n; i++) {
    if (f.p[i] < '0' || f.p[i] > '9') return VT_SER_E_BAD_FIELD;
    v = v * 10 + (f.p[i] - '0');
    if (v > 32768) return VT_SER_E_OUT_OF_RANGE;
  }
  if (neg) v = -v;
  if (v > 32767 || v < -32768) return VT_SER_E_OUT_OF_RANGE;
  *out = (int16_t)v;
  return VT_SER_OK;
}

static vt_serial_error parse_status(field f, uint16_t *out) {
  uint16_t st = 0;
  size_t start = 0;
  if (f.n == 0) return VT_SER_E_BAD_FIELD;
  for (size_t i = 0; i <= f.n; i++) {
    if (i == f.n || f.p[i] == '|') {
      int32_t flag = vt_status_by_name(f.p + start, i - start);
      if (flag < 0) return VT_SER_E_BAD_FIELD;
      st = (uint16_t)(st | (uint16_t)flag);
      start = i + 1;
    }
  }
  *out = st;
  return VT_SER_OK;
}

static bool copy_token(field f, char *dst, size_t max, bool allow_dot) {
  if (f.n == 0 || f.n > max) return false;
  for (size_t i = 0; i < f.n; i++) {
    char c = f.p[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || (allow_dot && c == '.');
    if (!ok) return false;
  }
  memcpy(dst, f.p, f.n);
  dst[f.n] = '\0';
  return true;
}

/* Optional decimal: empty field = absent. */
static vt_serial_error parse_opt(field f, vt_decimal *out) {
  if (f.n == 0) {
    out->kind = VT_NUM_NAN;
    out->mantissa = 0;
    out->exponent = 0;
    return VT_SER_OK;
  }
  return parse_decimal(f, out);
}

#define TRY(x)                           \
  do {                                   \
    vt_serial_error e_ = (x);            \
    if (e_ != VT_SER_OK) return e_;      \
  } while (0)
#define NEED(cond) \
  do {             \
    if (!(cond)) return VT_SER_E_BAD_FIELD; \
  } while (0)

static vt_serial_error parse_identity(const field *f, vt_reading *r) {
  NEED(parse_u32(f[1], &r->boot));
  NEED(parse_u32(f[2], &r->seq));
  NEED(parse_u32(f[3], &r->up_ms));
  return VT_SER_OK;
}

vt_serial_error vt_serial_parse(const char *line, size_t len, vt_serial_record *out) {
  if (line == NULL || out == NULL) return VT_SER_E_EMPTY;
  memset(out, 0, sizeof(*out));
  /* Strip the terminator. */
  if (len > 0 && line[len - 1] == '\n') len--;
  if (len > 0 && line[len - 1] == '\r') len--;
  if (len == 0) return VT_SER_E_EMPTY;
  if (line[0] == '#') return VT_SER_E_COMMENT;
  if (len > VT_SERIAL_MAX_LINE) return VT_SER_E_TOO_LONG;
  if (line[0] != '$') return VT_SER_E_NO_START;
  if (len < 7 || line[len - 5] != '*') return VT_SER_E_NO_CRC;
  uint16_t crc = 0;
  for (size_t i = len - 4; i < len; i++) {
    int h = hexval(line[i]);
    if (h < 0) return VT_SER_E_NO_CRC;
    crc = (uint16_t)((crc << 4) | (uint16_t)h);
  }
  const char *body = line + 1;
  size_t body_len = len - 6;
  for (size_t i = 0; i < body_len; i++) {
    unsigned char c = (unsigned char)body[i];
    if (c < 0x20 || c > 0x7E || c == '$' || c == '*') return VT_SER_E_BAD_CHAR;
  }
  if (vt_crc16(body, body_len) != crc) return VT_SER_E_CRC_MISMATCH;

  field f[MAX_FIELDS];
  size_t nf = 0, start = 0;
  for (size_t i = 0; i <= body_len; i++) {
    if (i == body_len || body[i] == ',') {
      if (nf == MAX_FIELDS) return VT_SER_E_FIELD_COUNT;
      f[nf].p = body + start;
      f[nf].n = i - start;
      nf++;
      start = i + 1;
    }
  }
  if (f[0].n != 1) return VT_SER_E_UNKNOWN_TYPE;
  out->type = f[0].p[0];
  vt_reading *r = &out->reading;
  switch (out->type) {
    case 'H': {
      if (nf != 5) return VT_SER_E_FIELD_COUNT;
      uint32_t proto;
      NEED(parse_u32(f[1], &proto));
      if (proto == 0 || proto > 255) return VT_SER_E_OUT_OF_RANGE;
      out->proto = (uint8_t)proto;
      NEED(copy_token(f[2], out->dev, VT_SERIAL_MAX_DEV, true));
      NEED(parse_u32(f[3], &out->boot));
      NEED(copy_token(f[4], out->fw, VT_SERIAL_MAX_FW, true));
      return VT_SER_OK;
    }
    case 'N': {
      if (nf != 7) return VT_SER_E_FIELD_COUNT;
      TRY(parse_identity(f, r));
      vt_metric m = vt_metric_by_name(f[4].p, f[4].n);
      if (m == VT_METRIC_COUNT || m == VT_METRIC_BP) return VT_SER_E_BAD_FIELD;
      r->metric = (uint8_t)m;
      TRY(parse_status(f[5], &r->status));
      TRY(parse_opt(f[6], &r->value));
      return VT_SER_OK;
    }
    case 'B': {
      if (nf != 9) return VT_SER_E_FIELD_COUNT;
      TRY(parse_identity(f, r));
      r->metric = VT_METRIC_BP;
      TRY(parse_status(f[4], &r->status));
      for (int i = 0; i < 3; i++) TRY(parse_opt(f[5 + i], &r->cmp[i]));
      TRY(parse_opt(f[8], &r->pr));
      r->has_pr = r->pr.kind == VT_NUM_FINITE;
      return VT_SER_OK;
    }
    case 'W': {
      if (nf < 11) return VT_SER_E_FIELD_COUNT;
      vt_wave *w = &out->wave;
      vt_reading id;
      memset(&id, 0, sizeof(id));
      TRY(parse_identity(f, &id));
      w->boot = id.boot;
      w->seq = id.seq;
      w->up_ms = id.up_ms;
      w->kind = VT_WAVE_COUNT;
      for (unsigned k = 0; k < VT_WAVE_COUNT; k++) {
        const char *name = vt_wave_name((vt_wave_kind)k);
        if (strlen(name) == f[4].n && memcmp(name, f[4].p, f[4].n) == 0) w->kind = (uint8_t)k;
      }
      if (w->kind == VT_WAVE_COUNT) return VT_SER_E_BAD_FIELD;
      NEED(parse_u32(f[5], &w->mdc));
      TRY(parse_decimal(f[6], &w->period_ms));
      if (w->period_ms.mantissa <= 0) return VT_SER_E_OUT_OF_RANGE;
      TRY(parse_decimal(f[7], &w->origin));
      TRY(parse_decimal(f[8], &w->factor));
      if (w->factor.mantissa == 0) return VT_SER_E_OUT_OF_RANGE;
      TRY(parse_status(f[9], &w->status));
      w->unit = "mV";
      w->n = (uint16_t)(nf - 10);
      if (w->n > VT_SERIAL_MAX_SAMPLES) return VT_SER_E_FIELD_COUNT;
      for (uint16_t i = 0; i < w->n; i++) TRY(parse_i16(f[10 + i], &out->wave_samples[i]));
      w->samples = out->wave_samples;
      return VT_SER_OK;
    }
    default:
      return VT_SER_E_UNKNOWN_TYPE;
  }
}
