/* CRC-16/CCITT-FALSE, bitwise: no 512-byte table, so it costs the Uno no flash to speak of. */
#include "vt_crc16.h"

uint16_t vt_crc16_update(uint16_t crc, const void *data, size_t len) {
  const uint8_t *p = (const uint8_t *)data;
  while (len--) {
    crc ^= (uint16_t)((uint16_t)*p++ << 8);
    for (uint8_t i = 0; i < 8; i++) {
      crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
    }
  }
  return crc;
}

uint16_t vt_crc16(const void *data, size_t len) { return vt_crc16_update(VT_CRC16_INIT, data, len); }
