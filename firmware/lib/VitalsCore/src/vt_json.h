/* The MQTT JSON reading, version 1, exactly as docs/wire-format.md ("MQTT JSON reading")
 * and docs/schemas/reading-v1.schema.json define it. Encoders only: the node never parses
 * readings. Output is compact JSON with a fixed field order so that golden vectors can be
 * compared byte for byte (firmware/test-vectors/json/). */
#ifndef VT_JSON_H
#define VT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_reading.h"
#include "vt_wave.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Who publishes: goes into "dev" and "src". */
typedef struct {
  const char *dev;    /* device id, [A-Za-z0-9._-]{1,64} */
  const char *sensor; /* "src.sensor", may be NULL */
  const char *fw;     /* "src.fw", may be NULL */
} vt_json_device;

/* Numeric or BP reading. Returns the length written (NUL not counted) or -1 if it does
 * not fit or the reading is invalid (unknown metric, bad device id). */
int vt_json_reading(char *buf, size_t cap, const vt_json_device *d, const vt_reading *r);

/* ECG chunk with one lead. Requires a timestamp (tsq != none), as the schema does. */
int vt_json_ecg(char *buf, size_t cap, const vt_json_device *d, const vt_wave *w);

/* Retained status payload: {"v":1,"online":true,"boot":17,"fw":"0.1.0"} or the offline
 * last-will payload {"v":1,"online":false}. */
int vt_json_status(char *buf, size_t cap, bool online, uint32_t boot, const char *fw);

/* vitals/v1/{gatewayId}/{deviceId}/{metric or "status"}. */
int vt_json_topic(char *buf, size_t cap, const char *gateway, const char *dev,
                  const char *leaf);

/* True for 1..64 characters from A-Z a-z 0-9 . _ - (topic-safe ids). */
bool vt_json_valid_id(const char *id);

#ifdef __cplusplus
}
#endif
#endif
