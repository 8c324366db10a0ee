/* IEEE 11073-20601 SFLOAT (16 bit) and FLOAT (32 bit) medical number types.
 *
 * Layout (IEEE 11073-20601 §F.6, as used by every Bluetooth SIG health profile):
 *   SFLOAT: bits 15..12 signed 4-bit exponent, bits 11..0 signed 12-bit mantissa
 *   FLOAT:  bits 31..24 signed 8-bit exponent, bits 23..0 signed 24-bit mantissa
 *   value = mantissa * 10^exponent
 * Special values (HL7 PHD IG "MderFLOATsandSFLOATs"): NaN 0x07FF / 0x007FFFFF,
 * NRes 0x0800 / 0x00800000, +INF 0x07FE / 0x007FFFFE, -INF 0x0802 / 0x00800002,
 * reserved 0x0801 / 0x00800001. The raw word is tested against them before sign
 * extension. Multi-byte fields on the Bluetooth wire are little-endian. */
#ifndef VT_IEEE11073_H
#define VT_IEEE11073_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  VT_NUM_FINITE = 0,
  VT_NUM_NAN,      /* not a number: invalid result */
  VT_NUM_NRES,     /* not at this resolution */
  VT_NUM_POS_INF,
  VT_NUM_NEG_INF,
  VT_NUM_RESERVED  /* reserved for future use: treat as error */
} vt_num_kind;

/* A decimal number as the medical types carry it: mantissa * 10^exponent. The exponent
 * is information (97 vs 97.0), so it is kept rather than folded into a float. */
typedef struct {
  vt_num_kind kind;
  int32_t mantissa;
  int8_t exponent;
} vt_decimal;

#define VT_SFLOAT_NAN 0x07FFu
#define VT_SFLOAT_NRES 0x0800u
#define VT_SFLOAT_POS_INF 0x07FEu
#define VT_SFLOAT_NEG_INF 0x0802u
#define VT_SFLOAT_RESERVED 0x0801u
#define VT_FLOAT_NAN 0x007FFFFFul
#define VT_FLOAT_NRES 0x00800000ul
#define VT_FLOAT_POS_INF 0x007FFFFEul
#define VT_FLOAT_NEG_INF 0x00800002ul
#define VT_FLOAT_RESERVED 0x00800001ul

/* Largest mantissa magnitude an encoder emits. For SFLOAT the design rule keeps it within
 * +-2045 so that exponent 0 can never produce a special code (0x07FE..0x0802). */
#define VT_SFLOAT_MANTISSA_MAX 2045
#define VT_FLOAT_MANTISSA_MAX 8388605L

typedef enum {
  VT_NUM_OK = 0,
  VT_NUM_ERANGE = -1,   /* the value does not fit at the requested exponent */
  VT_NUM_EINVAL = -2    /* bad argument: exponent out of range, NULL pointer */
} vt_num_status;

vt_decimal vt_sfloat_decode(uint16_t raw);
vt_decimal vt_float_decode(uint32_t raw);

/* Encodes mantissa * 10^exponent; special kinds encode to their reserved code. */
vt_num_status vt_sfloat_encode(vt_decimal d, uint16_t *out);
vt_num_status vt_float_encode(vt_decimal d, uint32_t *out);

/* Rounds value to the given decimal exponent (e.g. -1 for one decimal) into a decimal. */
vt_num_status vt_decimal_from_double(double value, int8_t exponent, int32_t max_mantissa,
                                     vt_decimal *out);

/* mantissa * 10^exponent as a double (NaN/INF for the special kinds). */
double vt_decimal_to_double(vt_decimal d);

/* Little-endian readers with bounds checks: return 0 on success, -1 when the buffer is
 * too short (nothing is read past len). */
int vt_le_u16(const uint8_t *buf, size_t len, size_t off, uint16_t *out);
int vt_le_u24(const uint8_t *buf, size_t len, size_t off, uint32_t *out);
int vt_le_u32(const uint8_t *buf, size_t len, size_t off, uint32_t *out);

#ifdef __cplusplus
}
#endif
#endif
