/* Bluetooth SIG Blood Pressure Measurement characteristic 0x2A35 (service 0x1810,
 * indicate), for the ESP32's cuff bridge. Layout per the SIG characteristic XML
 * (org.bluetooth.characteristic.blood_pressure_measurement), cross-checked with Nordic's
 * ble_bps_meas_s (shared reference standards-and-codes.md §7.1): flags uint8; systolic,
 * diastolic, MAP as SFLOAT; time stamp (7) if bit1; pulse SFLOAT if bit2; user id if bit3;
 * measurement status uint16 if bit4. Little-endian. */
#ifndef VT_GATT_BP_H
#define VT_GATT_BP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_ieee11073.h"
#include "vt_reading.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  uint8_t flags;
  bool kpa;           /* bit0: units kPa (else mmHg) */
  vt_decimal sys, dia, map;
  bool has_time;
  uint16_t year;
  uint8_t month, day, hour, minute, second;
  bool has_pulse;
  vt_decimal pulse;
  bool has_user;
  uint8_t user;
  bool has_status;
  uint16_t status;
} vt_gatt_bp;

typedef enum {
  VT_GATT_OK = 0,
  VT_GATT_E_TRUNCATED = -1, /* shorter than its flags say */
  VT_GATT_E_RESERVED = -2,  /* reserved flag bits set */
  VT_GATT_E_TRAILING = -3   /* bytes left over */
} vt_gatt_status;

vt_gatt_status vt_gatt_bp_decode(const uint8_t *buf, size_t len, vt_gatt_bp *out);

/* Fills a BP reading (metric, cmp, pr, status) from a decoded measurement, in mm[Hg]
 * (kPa x 7.50062, rounded to whole mm[Hg]). Identity and time are left to the caller. */
void vt_gatt_bp_to_reading(const vt_gatt_bp *m, vt_reading *r);

#ifdef __cplusplus
}
#endif
#endif
