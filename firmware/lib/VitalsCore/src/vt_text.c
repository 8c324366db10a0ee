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
  if (t->len + 1 >= t->cap) {
    t->overflow = true;
    return;
  }
  t->buf[t->len++] = c;
  t->buf[t->len] = '\0';
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

/* 32-bit on its own: 64-bit division is slow on an 8-bit AVR, and samples go through here. */
void vt_text_u32(vt_text *t, uint32_t v) {
  char tmp[11];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0 && n < 10);
  while (n > 0) vt_text_char(t, tmp[--n]);
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
  int64_t m = d.mantissa;
  int e = d.exponent;
  if (m < 0) {
    vt_text_char(t, '-');
    m = -m;
  }
  if (e >= 0) {
    vt_text_u64(t, (uint64_t)m);
    if (m != 0) {
      for (int i = 0; i < e; i++) vt_text_char(t, '0');
    }
    return;
  }
  /* Negative exponent: split into integer part and exactly -e fraction digits. */
  int frac_digits = -e;
  char digits[24];
  int n = 0;
  uint64_t u = (uint64_t)m;
  do {
    digits[n++] = (char)('0' + (int)(u % 10u));
    u /= 10u;
  } while (u != 0 && n < 22);
  while (n <= frac_digits && n < 23) digits[n++] = '0'; /* pad: 0.05 needs a leading 0 */
  for (int i = n - 1; i >= 0; i--) {
    vt_text_char(t, digits[i]);
    if (i == frac_digits && i != 0) vt_text_char(t, '.');
  }
}

void vt_text_hex16(vt_text *t, uint16_t v) {
  static const char hex[] = "0123456789ABCDEF";
  for (int shift = 12; shift >= 0; shift -= 4) vt_text_char(t, hex[(v >> shift) & 0xF]);
}

int vt_text_finish(vt_text *t) {
  if (t->overflow) {
    if (t->buf != NULL && t->cap > 0) t->buf[t->cap > t->len ? t->len : t->cap - 1] = '\0';
    return -1;
  }
  return (int)t->len;
}
