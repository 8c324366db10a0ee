#include "vt_gatt_bp.h"

#include <math.h>
#include <string.h>

static int sfloat_at(const uint8_t *b, size_t len, size_t *off, vt_decimal *out) {
  uint16_t raw;
  if (vt_le_u16(b, len, *off, &raw) != 0) return -1;
  *out = vt_sfloat_decode(raw);
  *off += 2;
  return 0;
}

vt_gatt_status vt_gatt_bp_decode(const uint8_t *b, size_t len, vt_gatt_bp *m) {
  if (b == NULL || m == NULL || len < 1) return VT_GATT_E_TRUNCATED;
  memset(m, 0, sizeof(*m));
  size_t off = 1;
  m->flags = b[0];
  if (m->flags & 0xE0) return VT_GATT_E_RESERVED;
  m->kpa = (m->flags & 0x01) != 0;
  if (sfloat_at(b, len, &off, &m->sys) || sfloat_at(b, len, &off, &m->dia) ||
      sfloat_at(b, len, &off, &m->map)) {
    return VT_GATT_E_TRUNCATED;
  }
  if (m->flags & 0x02) {
    if (len - off < 7) return VT_GATT_E_TRUNCATED;
    m->has_time = true;
    m->year = (uint16_t)(b[off] | (b[off + 1] << 8));
    m->month = b[off + 2];
    m->day = b[off + 3];
    m->hour = b[off + 4];
    m->minute = b[off + 5];
    m->second = b[off + 6];
    off += 7;
  }
  if (m->flags & 0x04) {
    if (sfloat_at(b, len, &off, &m->pulse)) return VT_GATT_E_TRUNCATED;
    m->has_pulse = true;
  }
  if (m->flags & 0x08) {
    if (off >= len) return VT_GATT_E_TRUNCATED;
    m->has_user = true;
    m->user = b[off++];
  }
  if (m->flags & 0x10) {
    if (vt_le_u16(b, len, off, &m->status) != 0) return VT_GATT_E_TRUNCATED;
    m->has_status = true;
    off += 2;
  }
  return off == len ? VT_GATT_OK : VT_GATT_E_TRAILING;
}

static vt_decimal to_mmhg(vt_decimal d, bool kpa) {
  if (!kpa || d.kind != VT_NUM_FINITE) return d;
  vt_decimal out;
  if (vt_decimal_from_double(vt_decimal_to_double(d) * 7.50062, 0, 100000, &out) != VT_NUM_OK) {
    out.kind = VT_NUM_POS_INF;
    out.mantissa = 0;
    out.exponent = 0;
  }
  return out;
}

void vt_gatt_bp_to_reading(const vt_gatt_bp *m, vt_reading *r) {
  r->metric = VT_METRIC_BP;
  r->cmp[VT_BP_SYS] = to_mmhg(m->sys, m->kpa);
  r->cmp[VT_BP_DIA] = to_mmhg(m->dia, m->kpa);
  r->cmp[VT_BP_MEAN] = to_mmhg(m->map, m->kpa); /* NaN MAP stays absent */
  r->status = (uint16_t)(vt_status_from_kind(r->cmp[VT_BP_SYS].kind) |
                         vt_status_from_kind(r->cmp[VT_BP_DIA].kind));
  /* Measurement status bits: 0 body movement, 2 irregular pulse, 1/5 cuff fit/position. */
  if (m->has_status) {
    if (m->status & 0x0001u) r->status |= VT_ST_MOTION;
    if (m->status & 0x0026u) r->status |= VT_ST_QUESTIONABLE;
  }
  r->has_pr = m->has_pulse && m->pulse.kind == VT_NUM_FINITE;
  if (r->has_pr) r->pr = m->pulse;
  r->value.kind = VT_NUM_NAN;
}
