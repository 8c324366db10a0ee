#include "vt_reading.h"

#include <string.h>

/* MDC codes: ISO/IEEE 11073-10101, 32-bit form as FHIR uses it; UCUM units per the
 * FHIR R4 vital-signs profiles (shared reference standards-and-codes.md §2, §3). */
static const vt_metric_info METRICS[VT_METRIC_COUNT] = {
    {"hr", 147842ul, "/min"},
    {"spo2", 150456ul, "%"},
    {"pr", 149530ul, "/min"},
    {"rr", 151562ul, "/min"},
    {"temp", 150364ul, "Cel"},
    {"bp", 150020ul, "mm[Hg]"},
    {"glucose", 160184ul, "mg/dL"},
};

static const char *const STATUS_NAMES[VT_ST_COUNT] = {
    "nan",       "nres",         "pos_inf",      "neg_inf",    "lead_off",      "probe_off",
    "no_signal", "sensor_error", "questionable", "motion",     "low_perfusion", "calibrating"};

const vt_metric_info *vt_metric_lookup(vt_metric m) {
  if ((unsigned)m >= VT_METRIC_COUNT) return NULL;
  return &METRICS[m];
}

static bool token_equals(const char *a, size_t len, const char *b) {
  return strlen(b) == len && memcmp(a, b, len) == 0;
}

vt_metric vt_metric_by_name(const char *name, size_t len) {
  if (name == NULL) return VT_METRIC_COUNT;
  for (unsigned i = 0; i < VT_METRIC_COUNT; i++) {
    if (token_equals(name, len, METRICS[i].name)) return (vt_metric)i;
  }
  return VT_METRIC_COUNT;
}

const char *vt_status_name(unsigned bit) { return bit < VT_ST_COUNT ? STATUS_NAMES[bit] : NULL; }

int32_t vt_status_by_name(const char *name, size_t len) {
  if (name == NULL) return -1;
  if (token_equals(name, len, "valid")) return 0;
  for (unsigned i = 0; i < VT_ST_COUNT; i++) {
    if (token_equals(name, len, STATUS_NAMES[i])) return (int32_t)(1ul << i);
  }
  return -1;
}


bool vt_reading_has_value(const vt_reading *r) {
  if (r == NULL || (r->status & VT_ST_NO_VALUE) != 0) return false;
  if (r->metric == VT_METRIC_BP) {
    return r->cmp[VT_BP_SYS].kind == VT_NUM_FINITE && r->cmp[VT_BP_DIA].kind == VT_NUM_FINITE;
  }
  return r->value.kind == VT_NUM_FINITE;
}

uint16_t vt_status_from_kind(vt_num_kind k) {
  switch (k) {
    case VT_NUM_FINITE: return 0;
    case VT_NUM_NAN: return VT_ST_NAN;
    case VT_NUM_NRES: return VT_ST_NRES;
    case VT_NUM_POS_INF: return VT_ST_POS_INF;
    case VT_NUM_NEG_INF: return VT_ST_NEG_INF;
    default: return VT_ST_SENSOR_ERROR;
  }
}
