/* Maxim MAX30102 pulse oximeter: register map, reference configuration and FIFO parsing.
 * Register facts: MAX30102 data sheet, as summarised (with the SparkFun MAX3010x library
 * and aromring/MAX30102_by_RF as cross-checks) in the shared reference
 * standards-and-codes.md §10.1. I2C address 0x57, PART_ID 0x15. */
#ifndef VT_MAX30102_H
#define VT_MAX30102_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_i2c.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VT_MAX30102_ADDR 0x57
#define VT_MAX30102_PART_ID 0x15
#define VT_MAX30100_PART_ID 0x11 /* older part, different map: refused */

enum {
  VT_MAX30102_INT_STATUS1 = 0x00,
  VT_MAX30102_INT_STATUS2 = 0x01,
  VT_MAX30102_INT_ENABLE1 = 0x02,
  VT_MAX30102_INT_ENABLE2 = 0x03,
  VT_MAX30102_FIFO_WR_PTR = 0x04,
  VT_MAX30102_OVF_COUNTER = 0x05,
  VT_MAX30102_FIFO_RD_PTR = 0x06,
  VT_MAX30102_FIFO_DATA = 0x07,
  VT_MAX30102_FIFO_CONFIG = 0x08,
  VT_MAX30102_MODE_CONFIG = 0x09,
  VT_MAX30102_SPO2_CONFIG = 0x0A,
  VT_MAX30102_LED1_PA = 0x0C, /* red */
  VT_MAX30102_LED2_PA = 0x0D, /* IR */
  VT_MAX30102_PILOT_PA = 0x10,
  VT_MAX30102_TEMP_INT = 0x1F,
  VT_MAX30102_TEMP_FRAC = 0x20,
  VT_MAX30102_TEMP_CONFIG = 0x21,
  VT_MAX30102_REV_ID = 0xFE,
  VT_MAX30102_PART_ID_REG = 0xFF
};

#define VT_MAX30102_FIFO_DEPTH 32
#define VT_MAX30102_MODE_RESET 0x40
#define VT_MAX30102_MODE_SPO2 0x03

/* The Maxim RD117 reference configuration (kept in aromring/MAX30102_by_RF max30102.cpp):
 * A_FULL + PPG_RDY interrupts, FIFO average 4 and A_FULL at 17 unread, SpO2 mode,
 * 4096 nA range, 100 Hz, 411 us / 18 bit, LEDs ~7 mA: 25 samples/s out of the FIFO. */
typedef struct {
  uint8_t reg, value;
} vt_reg_write;
extern const vt_reg_write VT_MAX30102_RD117_INIT[];
extern const size_t VT_MAX30102_RD117_INIT_LEN;
#define VT_MAX30102_RD117_RATE 25.0f

typedef struct {
  uint32_t red, ir;
} vt_ppg_sample;

/* Unread samples from the pointers: (wr - rd) mod 32; wr == rd with a non-zero overflow
 * counter means the FIFO is full (32). */
uint8_t vt_max30102_available(uint8_t wr_ptr, uint8_t rd_ptr, uint8_t ovf_counter);

/* Parses FIFO bytes of SpO2 mode (6 bytes per sample: LED1 then LED2, 3 bytes each, MSB
 * first, 18 bits). swap_red_ir for clone boards with the LEDs swapped. Returns the number
 * of whole samples written (at most max); a trailing partial sample is ignored. */
size_t vt_max30102_parse_fifo(const uint8_t *bytes, size_t len, bool swap_red_ir,
                              vt_ppg_sample *out, size_t max);

/* Die temperature in degrees C from TEMP_INT (signed) and TEMP_FRAC (1/16 steps). */
float vt_max30102_temperature(uint8_t temp_int, uint8_t temp_frac);

typedef enum {
  VT_MAX_OK = 0,
  VT_MAX_E_BUS = -1,      /* I2C error */
  VT_MAX_E_PART = -2,     /* PART_ID is not 0x15 (absent, or a MAX30100) */
  VT_MAX_E_RESET = -3,    /* reset bit did not clear */
  VT_MAX_E_OVERFLOW = -4  /* samples were lost (OVF_COUNTER != 0); the rest are returned */
} vt_max_status;

/* Checks the part, resets it and writes the RD117 configuration. */
vt_max_status vt_max30102_begin(const vt_i2c *bus);

/* Reads all unread samples (at most max) in bursts that fit bus->max_read, rounded to whole
 * samples. *count gets the number read. */
vt_max_status vt_max30102_read(const vt_i2c *bus, bool swap_red_ir, vt_ppg_sample *out,
                               size_t max, size_t *count);

#ifdef __cplusplus
}
#endif
#endif
