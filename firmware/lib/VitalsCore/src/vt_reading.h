/* One reading as the node measures it, before it is framed for serial or MQTT. Its
 * identity is (device id, boot counter, sequence number): the gateway de-duplicates on it. */
#ifndef VT_READING_H
#define VT_READING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_ieee11073.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  VT_METRIC_HR = 0,  /* heart rate from ECG, MDC_ECG_HEART_RATE 147842 */
  VT_METRIC_SPO2,    /* MDC_PULS_OXIM_SAT_O2 150456 */
  VT_METRIC_PR,      /* pulse rate from the oximeter, MDC_PULS_OXIM_PULS_RATE 149530 */
  VT_METRIC_RR,      /* respiratory rate, MDC_RESP_RATE 151562 */
  VT_METRIC_TEMP,    /* MDC_TEMP_BODY 150364 */
  VT_METRIC_BP,      /* MDC_PRESS_BLD_NONINV 150020 with components 150021/150022/150023 */
  VT_METRIC_GLUCOSE, /* MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD 160184 */
  VT_METRIC_COUNT
} vt_metric;

typedef struct {
  const char *name; /* topic segment and JSON "metric" */
  uint32_t mdc;     /* 32-bit MDC code (partition << 16 | term) */
  const char *unit; /* UCUM code */
} vt_metric_info;

/* NULL for an unknown metric. */
const vt_metric_info *vt_metric_lookup(vt_metric m);
/* VT_METRIC_COUNT when the name is unknown. name need not be NUL-terminated. */
vt_metric vt_metric_by_name(const char *name, size_t len);

/* Status flags; none set = "valid". Names and meaning as in docs/wire-format.md
 * ("Sensor status"): the first group means "no value" (sent as null), the second that a
 * value is less reliable. */
enum {
  VT_ST_NAN = 1u << 0,          /* sensor said NaN */
  VT_ST_NRES = 1u << 1,         /* sensor said NRes */
  VT_ST_POS_INF = 1u << 2,
  VT_ST_NEG_INF = 1u << 3,
  VT_ST_LEAD_OFF = 1u << 4,     /* AD8232 LO+ or LO- high: an electrode is off */
  VT_ST_PROBE_OFF = 1u << 5,    /* no finger on the oximeter (DC below threshold) */
  VT_ST_NO_SIGNAL = 1u << 6,    /* connected but no usable signal (settling, no beats) */
  VT_ST_SENSOR_ERROR = 1u << 7, /* sensor fault (I2C error, FIFO overflow) */
  VT_ST_QUESTIONABLE = 1u << 8, /* quality gate failed */
  VT_ST_MOTION = 1u << 9,
  VT_ST_LOW_PERFUSION = 1u << 10,
  VT_ST_CALIBRATING = 1u << 11
};
#define VT_ST_COUNT 12
/* Flags under which no number may be sent. */
#define VT_ST_NO_VALUE                                                                   \
  (VT_ST_NAN | VT_ST_NRES | VT_ST_POS_INF | VT_ST_NEG_INF | VT_ST_LEAD_OFF |             \
   VT_ST_PROBE_OFF | VT_ST_NO_SIGNAL | VT_ST_SENSOR_ERROR)

/* Name of one status bit index (0..VT_ST_COUNT-1). */
const char *vt_status_name(unsigned bit);
/* Parses one status token; returns its flag, 0 for "valid", -1 when unknown. */
int32_t vt_status_by_name(const char *name, size_t len);

typedef enum { VT_TSQ_NONE = 0, VT_TSQ_NTP, VT_TSQ_RTC, VT_TSQ_GW } vt_time_quality;

#define VT_BP_SYS 0
#define VT_BP_DIA 1
#define VT_BP_MEAN 2

typedef struct {
  uint32_t boot;
  uint32_t seq;
  uint32_t up_ms;       /* device uptime at the measurement */
  int64_t ts_ms;        /* epoch ms UTC; meaningful when tsq != NONE */
  uint8_t tsq;          /* vt_time_quality */
  uint8_t metric;       /* vt_metric */
  uint16_t status;      /* VT_ST_* flags */
  vt_decimal value;     /* the value; null on the wire unless FINITE and no VT_ST_NO_VALUE
                           flag is set. Producers that withhold a value set kind NAN. */
  vt_decimal cmp[3];    /* BP systolic, diastolic, mean */
  bool has_pr;          /* BP cuff pulse rate present */
  vt_decimal pr;
} vt_reading;

/* True when the reading carries a number (not null on the wire). */
bool vt_reading_has_value(const vt_reading *r);

/* Device-side status derived from a decoded special value (NaN -> VT_ST_NAN, ...). */
uint16_t vt_status_from_kind(vt_num_kind k);

#ifdef __cplusplus
}
#endif
#endif
