/* Bounded text writer shared by the serial framer and the JSON encoder. It never writes
 * past its buffer: once something does not fit, it records the overflow and every later
 * call is a no-op, so callers check once at the end. No printf: avr-libc's printf has no
 * %f and costs 1.5 kB of flash. */
#ifndef VT_TEXT_H
#define VT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_ieee11073.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  char *buf;
  size_t cap; /* bytes available including the terminating NUL */
  size_t len;
  bool overflow;
} vt_text;

void vt_text_init(vt_text *t, char *buf, size_t cap);
void vt_text_char(vt_text *t, char c);
void vt_text_str(vt_text *t, const char *s);
void vt_text_mem(vt_text *t, const char *s, size_t n);
void vt_text_u32(vt_text *t, uint32_t v);
void vt_text_i32(vt_text *t, int32_t v);
void vt_text_u64(vt_text *t, uint64_t v);
/* Writes mantissa * 10^exponent in plain decimal (no exponent notation): 97, 36.5, -0.25,
 * 1200. Special kinds are not numbers; the caller decides how to show them. */
void vt_text_decimal(vt_text *t, vt_decimal d);
void vt_text_hex16(vt_text *t, uint16_t v);
/* Length written, or -1 on overflow. The buffer is NUL-terminated either way (if cap > 0). */
int vt_text_finish(vt_text *t);

#ifdef __cplusplus
}
#endif
#endif
