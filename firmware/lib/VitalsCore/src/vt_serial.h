/* The serial line protocol between a sensor node and the gateway's serial adapter.
 * Normative text: docs/wire-format.md, section "Serial line protocol".
 *
 *   line  = "$" body "*" CRC "\n"        ("\r\n" accepted)
 *   body  = type "," field *("," field)  printable ASCII, no "$" or "*"
 *   CRC   = 4 upper-case hex digits: CRC-16/CCITT-FALSE over the bytes of body
 *   at most VT_SERIAL_MAX_LINE bytes from "$" to the last CRC digit
 *
 *   H (hello):    H,<proto>,<dev>,<boot>,<fw>
 *   N (numeric):  N,<boot>,<seq>,<up_ms>,<metric>,<status>,<value>   value empty = null
 *   B (BP):       B,<boot>,<seq>,<up_ms>,<status>,<sys>,<dia>,<mean>,<pr>  mm[Hg], /min
 *   W (waveform): W,<boot>,<seq>,<up_ms>,<wave>,<mdc>,<period_ms>,<origin>,<factor>,<status>,<s1>..<sn>
 */
#ifndef VT_SERIAL_H
#define VT_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#include "vt_reading.h"
#include "vt_wave.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VT_SERIAL_PROTO 1
#define VT_SERIAL_MAX_LINE 250   /* "$" .. last CRC digit */
#define VT_SERIAL_BUF 254        /* enough for a line, "\r\n" not used by encoders, "\n" and NUL */
#define VT_SERIAL_MAX_SAMPLES 40 /* samples in one W line */
#define VT_SERIAL_MAX_DEV 32
#define VT_SERIAL_MAX_FW 16

typedef enum {
  VT_SER_OK = 0,
  VT_SER_E_EMPTY,          /* empty line */
  VT_SER_E_COMMENT,        /* "#" line: a human-readable diagnostic from the node, not data */
  VT_SER_E_TOO_LONG,       /* longer than VT_SERIAL_MAX_LINE */
  VT_SER_E_NO_START,       /* does not start with "$" (e.g. the tail of a partial line) */
  VT_SER_E_NO_CRC,         /* no "*" + 4 hex digits at the end (truncated line) */
  VT_SER_E_BAD_CHAR,       /* a byte outside printable ASCII, or "$"/"*" inside body */
  VT_SER_E_CRC_MISMATCH,   /* CRC does not match the body */
  VT_SER_E_UNKNOWN_TYPE,   /* record type not H/N/B/W */
  VT_SER_E_FIELD_COUNT,    /* wrong number of fields for the type */
  VT_SER_E_BAD_FIELD,      /* a field does not parse (not a number, unknown metric/status) */
  VT_SER_E_OUT_OF_RANGE,   /* a number does not fit its field */
  VT_SER_E_COUNT
} vt_serial_error;

/* Stable reason text ("bad-crc", ...), shared with the Java adapter's dead-letter reasons. */
const char *vt_serial_error_reason(vt_serial_error e);

typedef struct {
  char type; /* 'H', 'N', 'B', 'W' */
  /* H */
  uint8_t proto;
  char dev[VT_SERIAL_MAX_DEV + 1];
  char fw[VT_SERIAL_MAX_FW + 1];
  uint32_t boot;
  /* N, B */
  vt_reading reading;
  /* W */
  vt_wave wave;
  int16_t wave_samples[VT_SERIAL_MAX_SAMPLES];
} vt_serial_record;

/* Encoders: write one complete line ending in "\n" into buf; return its length, or -1 if
 * it does not fit buf / VT_SERIAL_MAX_LINE or an argument is invalid. */
int vt_serial_hello(char *buf, size_t cap, const char *dev, uint32_t boot, const char *fw);
int vt_serial_numeric(char *buf, size_t cap, const vt_reading *r);
int vt_serial_bp(char *buf, size_t cap, const vt_reading *r);
int vt_serial_wave(char *buf, size_t cap, const vt_wave *w);

/* Parses one line (with or without its trailing "\n" / "\r\n"). Never reads past len. */
vt_serial_error vt_serial_parse(const char *line, size_t len, vt_serial_record *out);

#ifdef __cplusplus
}
#endif
#endif
