/* A register-level I2C bus the drivers talk to; hal.h provides the node's, the host tests
 * a simulated device. Functions return 0 on success, non-zero on a bus error. */
#ifndef VT_I2C_H
#define VT_I2C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int (*write_reg)(void *ctx, uint8_t addr7, uint8_t reg, uint8_t value);
  int (*read_regs)(void *ctx, uint8_t addr7, uint8_t reg, uint8_t *buf, size_t len);
  void (*delay_ms)(void *ctx, uint32_t ms);
  void *ctx;
  size_t max_read; /* largest burst the platform buffer takes (Uno Wire: 32) */
} vt_i2c;

#ifdef __cplusplus
}
#endif
#endif
