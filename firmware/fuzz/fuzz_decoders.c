/* libFuzzer target for everything the node or the gateway decodes from outside: serial
 * lines, BLE 0x2A35 payloads, SFLOAT/FLOAT words, MAX30102 FIFO bytes. Built with clang
 * -fsanitize=fuzzer,address,undefined by firmware/test.sh, which runs it for a fixed time. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vt_gatt_bp.h"
#include "vt_ieee11073.h"
#include "vt_json.h"
#include "vt_max30102.h"
#include "vt_serial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static vt_serial_record rec;
  if (vt_serial_parse((const char *)data, size, &rec) == VT_SER_OK) {
    /* Whatever parses must re-encode to a line that parses to the same record. */
    char line[VT_SERIAL_BUF], again[VT_SERIAL_BUF];
    int n = -1;
    switch (rec.type) {
      case 'H': n = vt_serial_hello(line, sizeof line, rec.dev, rec.boot, rec.fw); break;
      case 'N': n = vt_serial_numeric(line, sizeof line, &rec.reading); break;
      case 'B': n = vt_serial_bp(line, sizeof line, &rec.reading); break;
      case 'W': n = vt_serial_wave(line, sizeof line, &rec.wave); break;
    }
    if (n > 0) {
      static vt_serial_record rec2;
      if (vt_serial_parse(line, (size_t)n, &rec2) != VT_SER_OK) __builtin_trap();
      memcpy(again, line, (size_t)n);
      (void)again;
    }
    if (rec.type == 'N' || rec.type == 'B') {
      char json[512];
      vt_json_device d = {"fuzz", NULL, NULL};
      rec.reading.tsq = VT_TSQ_NONE;
      (void)vt_json_reading(json, sizeof json, &d, &rec.reading);
    }
  }
  vt_gatt_bp m;
  if (vt_gatt_bp_decode(data, size, &m) == VT_GATT_OK) {
    vt_reading r;
    memset(&r, 0, sizeof r);
    vt_gatt_bp_to_reading(&m, &r);
    char json[512];
    vt_json_device d = {"fuzz", NULL, NULL};
    (void)vt_json_reading(json, sizeof json, &d, &r);
  }
  if (size >= 4) {
    uint32_t w;
    vt_le_u32(data, size, 0, &w);
    vt_decimal d = vt_float_decode(w);
    uint32_t back;
    if (vt_float_encode(d, &back) == VT_NUM_OK && back != w) __builtin_trap();
    uint16_t h = (uint16_t)w;
    vt_decimal s = vt_sfloat_decode(h);
    uint16_t back16;
    if (vt_sfloat_encode(s, &back16) == VT_NUM_OK && back16 != h) __builtin_trap();
  }
  vt_ppg_sample samples[8];
  (void)vt_max30102_parse_fifo(data, size, size & 1, samples, 8);
  return 0;
}
