/* CRC-16/CCITT-FALSE (a.k.a. CRC-16/IBM-3740): width 16, poly 0x1021, init 0xFFFF,
 * no input/output reflection, xorout 0x0000, check("123456789") = 0x29B1.
 * Parameters from the Catalogue of parametrised CRC algorithms (reveng, "CRC-16/IBM-3740").
 * Chosen because it is the CRC the Bluetooth CGM E2E-CRC uses too and Java has it in a few
 * lines (docs/decisions/0501-serial-line-protocol.md). */
#ifndef VT_CRC16_H
#define VT_CRC16_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VT_CRC16_INIT 0xFFFFu
#define VT_CRC16_CHECK 0x29B1u

/* Continues a CRC over len more bytes; start with VT_CRC16_INIT. */
uint16_t vt_crc16_update(uint16_t crc, const void *data, size_t len);
uint16_t vt_crc16(const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
