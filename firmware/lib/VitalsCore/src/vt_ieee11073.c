/* IEEE 11073-20601 SFLOAT/FLOAT; see vt_ieee11073.h for the layout and sources. */
#include "vt_ieee11073.h"

#include <math.h>

static vt_decimal special(vt_num_kind kind) {
  vt_decimal d;
  d.kind = kind;
  d.mantissa = 0;
  d.exponent = 0;
  return d;
}

vt_decimal vt_sfloat_decode(uint16_t raw) {
  /* Special codes first, on the raw word (before any sign extension). */
  switch (raw) {
    case VT_SFLOAT_NAN: return special(VT_NUM_NAN);
    case VT_SFLOAT_NRES: return special(VT_NUM_NRES);
    case VT_SFLOAT_POS_INF: return special(VT_NUM_POS_INF);
    case VT_SFLOAT_NEG_INF: return special(VT_NUM_NEG_INF);
    case VT_SFLOAT_RESERVED: return special(VT_NUM_RESERVED);
    default: break;
  }
  vt_decimal d;
  int32_t m = (int32_t)(raw & 0x0FFFu);
  int32_t e = (int32_t)((raw >> 12) & 0x0Fu);
  if (m >= 0x0800) m -= 0x1000; /* 12-bit two's complement */
  if (e >= 0x8) e -= 0x10;      /* 4-bit two's complement */
  d.kind = VT_NUM_FINITE;
  d.mantissa = m;
  d.exponent = (int8_t)e;
  return d;
}

vt_decimal vt_float_decode(uint32_t raw) {
  uint32_t mraw = raw & 0x00FFFFFFul;
  /* Specials are defined with exponent 0 (the whole 32-bit word). */
  switch (raw) {
    case VT_FLOAT_NAN: return special(VT_NUM_NAN);
    case VT_FLOAT_NRES: return special(VT_NUM_NRES);
    case VT_FLOAT_POS_INF: return special(VT_NUM_POS_INF);
    case VT_FLOAT_NEG_INF: return special(VT_NUM_NEG_INF);
    case VT_FLOAT_RESERVED: return special(VT_NUM_RESERVED);
    default: break;
  }
  vt_decimal d;
  int32_t m = (int32_t)mraw;
  if (mraw >= 0x00800000ul) m = (int32_t)mraw - (int32_t)0x01000000L;
  d.kind = VT_NUM_FINITE;
  d.mantissa = m;
  d.exponent = (int8_t)(uint8_t)((raw >> 24) & 0xFFu);
  return d;
}

vt_num_status vt_sfloat_encode(vt_decimal d, uint16_t *out) {
  if (out == NULL) return VT_NUM_EINVAL;
  switch (d.kind) {
    case VT_NUM_NAN: *out = VT_SFLOAT_NAN; return VT_NUM_OK;
    case VT_NUM_NRES: *out = VT_SFLOAT_NRES; return VT_NUM_OK;
    case VT_NUM_POS_INF: *out = VT_SFLOAT_POS_INF; return VT_NUM_OK;
    case VT_NUM_NEG_INF: *out = VT_SFLOAT_NEG_INF; return VT_NUM_OK;
    case VT_NUM_RESERVED: *out = VT_SFLOAT_RESERVED; return VT_NUM_OK;
    case VT_NUM_FINITE: break;
    default: return VT_NUM_EINVAL;
  }
  if (d.exponent < -8 || d.exponent > 7) return VT_NUM_EINVAL;
  if (d.mantissa > VT_SFLOAT_MANTISSA_MAX || d.mantissa < -VT_SFLOAT_MANTISSA_MAX) {
    return VT_NUM_ERANGE;
  }
  *out = (uint16_t)((((uint16_t)(uint8_t)d.exponent & 0x0Fu) << 12) |
                    ((uint16_t)d.mantissa & 0x0FFFu));
  return VT_NUM_OK;
}

vt_num_status vt_float_encode(vt_decimal d, uint32_t *out) {
  if (out == NULL) return VT_NUM_EINVAL;
  switch (d.kind) {
    case VT_NUM_NAN: *out = VT_FLOAT_NAN; return VT_NUM_OK;
    case VT_NUM_NRES: *out = VT_FLOAT_NRES; return VT_NUM_OK;
    case VT_NUM_POS_INF: *out = VT_FLOAT_POS_INF; return VT_NUM_OK;
    case VT_NUM_NEG_INF: *out = VT_FLOAT_NEG_INF; return VT_NUM_OK;
    case VT_NUM_RESERVED: *out = VT_FLOAT_RESERVED; return VT_NUM_OK;
    case VT_NUM_FINITE: break;
    default: return VT_NUM_EINVAL;
  }
  if (d.mantissa > VT_FLOAT_MANTISSA_MAX || d.mantissa < -VT_FLOAT_MANTISSA_MAX) {
    return VT_NUM_ERANGE;
  }
  *out = ((uint32_t)(uint8_t)d.exponent << 24) | ((uint32_t)d.mantissa & 0x00FFFFFFul);
  return VT_NUM_OK;
}

vt_num_status vt_decimal_from_double(double value, int8_t exponent, int32_t max_mantissa,
                                     vt_decimal *out) {
  if (out == NULL || exponent < -20 || exponent > 20 || max_mantissa <= 0) {
    return VT_NUM_EINVAL;
  }
  if (isnan(value)) {
    *out = special(VT_NUM_NAN);
    return VT_NUM_OK;
  }
  if (isinf(value)) {
    *out = special(value > 0 ? VT_NUM_POS_INF : VT_NUM_NEG_INF);
    return VT_NUM_OK;
  }
  double scaled = value / pow(10.0, (double)exponent);
  double r = floor(fabs(scaled) + 0.5);
  if (r > (double)max_mantissa) return VT_NUM_ERANGE;
  out->kind = VT_NUM_FINITE;
  out->mantissa = (int32_t)(scaled < 0 ? -r : r);
  out->exponent = exponent;
  return VT_NUM_OK;
}

double vt_decimal_to_double(vt_decimal d) {
  switch (d.kind) {
    case VT_NUM_FINITE: return (double)d.mantissa * pow(10.0, (double)d.exponent);
    case VT_NUM_POS_INF: return INFINITY;
    case VT_NUM_NEG_INF: return -INFINITY;
    default: return NAN;
  }
}

int vt_le_u16(const uint8_t *buf, size_t len, size_t off, uint16_t *out) {
  if (buf == NULL || out == NULL || off > len || len - off < 2) return -1;
  *out = (uint16_t)(buf[off] | ((uint16_t)buf[off + 1] << 8));
  return 0;
}

int vt_le_u24(const uint8_t *buf, size_t len, size_t off, uint32_t *out) {
  if (buf == NULL || out == NULL || off > len || len - off < 3) return -1;
  *out = (uint32_t)buf[off] | ((uint32_t)buf[off + 1] << 8) | ((uint32_t)buf[off + 2] << 16);
  return 0;
}

int vt_le_u32(const uint8_t *buf, size_t len, size_t off, uint32_t *out) {
  if (buf == NULL || out == NULL || off > len || len - off < 4) return -1;
  *out = (uint32_t)buf[off] | ((uint32_t)buf[off + 1] << 8) | ((uint32_t)buf[off + 2] << 16) |
         ((uint32_t)buf[off + 3] << 24);
  return 0;
}
