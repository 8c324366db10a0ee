#include "vt_text.h"

void vt_text_init(vt_text *t, char *buf, size_t cap) {
  t->buf = buf;
  t->cap = cap;
  t->len = 0;
  t->overflow = (buf == NULL || cap == 0);
  if (!t->overflow) buf[0] = '\0';
}

void vt_text_char(vt_text *t, char c) {
  if (t->overflow) return;
  if (t->len + 1 >= t->cap) { /* keep one byte for the NUL that vt_text_finish writes */
    t->overflow = true;
    return;
  }
  t->buf[t->len++] = c;
}

void vt_text_mem(vt_text *t, const char *s, size_t n) {
  for (size_t i = 0; i < n && !t->overflow; i++) vt_text_char(t, s[i]);
}

void vt_text_str(vt_text *t, const char *s) {
  if (s == NULL) return;
  while (*s && !t->overflow) vt_text_char(t, *s++);
}

void vt_text_u64(vt_text *t, uint64_t v) {
  char tmp[21];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0 && n < 20);
  while (n > 0) vt_text_char(t, tmp[--n]);
}

/* Digits by subtracting powers of ten: no division at all, which an 8-bit AVR does in
 * software (a 32-bit divide costs it ~600 cycles; the ECG stream prints 250 numbers/s).
 * The last four digits (all of them for an ECG sample) take a 16-bit path. */
void vt_text_u32(vt_text *t, uint32_t v) {
  static const uint32_t P32[6] = {1000000000ul, 100000000ul, 10000000ul,
                                  1000000ul,    100000ul,    10000ul};
  static const uint16_t P16[4] = {1000u, 100u, 10u, 1u};
  bool started = false;
  if (v >= 10000ul) {
    for (int i = 0; i < 6; i++) {
      char d = '0';
      while (v >= P32[i]) {
        v -= P32[i];
        d++;
      }
      if (d != '0' || started) {
        vt_text_char(t, d);
        started = true;
      }
    }
  }
  uint16_t w = (uint16_t)v; /* below 10000 now */
  for (int i = 0; i < 4; i++) {
    char d = '0';
    while (w >= P16[i]) {
      w = (uint16_t)(w - P16[i]);
      d++;
    }
    if (d != '0' || started || i == 3) {
      vt_text_char(t, d);
      started = true;
    }
  }
}

void vt_text_i32(vt_text *t, int32_t v) {
  if (v < 0) {
    vt_text_char(t, '-');
    vt_text_u32(t, (uint32_t)0 - (uint32_t)v);
  } else {
    vt_text_u32(t, (uint32_t)v);
  }
}

void vt_text_decimal(vt_text *t, vt_decimal d) {
  /* 32-bit only (the mantissa is an int32): no 64-bit arithmetic on the AVR. */
  uint32_t m = d.mantissa < 0 ? (uint32_t)0 - (uint32_t)d.mantissa : (uint32_t)d.mantissa;
  int e = d.exponent;
  if (d.mantissa < 0) vt_text_char(t, '-');
  if (e >= 0) {
    vt_text_u32(t, m);
    if (m != 0) {
      for (int i = 0; i < e; i++) vt_text_char(t, '0');
    }
    return;
  }
  /* Negative exponent: integer part, ".", then exactly -e fraction digits. */
  char digits[12];
  vt_text tmp;
  vt_text_init(&tmp, digits, sizeof digits);
  vt_text_u32(&tmp, m);
  int n = (int)tmp.len, frac = -e;
  if (n > frac) {
    vt_text_mem(t, digits, (size_t)(n - frac));
  } else {
    vt_text_char(t, '0');
  }
  vt_text_char(t, '.');
  for (int i = n; i < frac; i++) vt_text_char(t, '0'); /* 0.05 needs a leading 0 */
  vt_text_mem(t, digits + (n > frac ? n - frac : 0), (size_t)(n > frac ? frac : n));
}

void vt_text_hex16(vt_text *t, uint16_t v) {
  static const char hex[] = "0123456789ABCDEF";
  for (int shift = 12; shift >= 0; shift -= 4) vt_text_char(t, hex[(v >> shift) & 0xF]);
}

int vt_text_finish(vt_text *t) {
  if (t->buf != NULL && t->cap > 0) t->buf[t->len < t->cap ? t->len : t->cap - 1] = '\0';
  return t->overflow ? -1 : (int)t->len;
}
