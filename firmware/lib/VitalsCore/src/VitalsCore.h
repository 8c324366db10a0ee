/* VitalsCore: the portable C99 core of the Vitals sensor nodes (one include for sketches). */
#ifndef VITALS_CORE_H
#define VITALS_CORE_H

#define VITALS_CORE_VERSION "0.1.0"

#include "vt_biquad.h"
#include "vt_crc16.h"
#include "vt_ecg.h"
#include "vt_ecg_stream.h"
#include "vt_gatt_bp.h"
#include "vt_ieee11073.h"
#include "vt_json.h"
#include "vt_max30102.h"
#include "vt_ppg.h"
#include "vt_qrs.h"
#include "vt_reading.h"
#include "vt_serial.h"
#include "vt_store.h"
#include "vt_text.h"
#include "vt_wave.h"

#endif
