#include "vt_max30102.h"

const vt_reg_write VT_MAX30102_RD117_INIT[] = {
    {VT_MAX30102_INT_ENABLE1, 0xC0}, {VT_MAX30102_INT_ENABLE2, 0x00},
    {VT_MAX30102_FIFO_WR_PTR, 0x00}, {VT_MAX30102_OVF_COUNTER, 0x00},
    {VT_MAX30102_FIFO_RD_PTR, 0x00}, {VT_MAX30102_FIFO_CONFIG, 0x4F},
    {VT_MAX30102_MODE_CONFIG, 0x03}, {VT_MAX30102_SPO2_CONFIG, 0x27},
    {VT_MAX30102_LED1_PA, 0x24},     {VT_MAX30102_LED2_PA, 0x24},
    {VT_MAX30102_PILOT_PA, 0x7F},
};
const size_t VT_MAX30102_RD117_INIT_LEN = sizeof(VT_MAX30102_RD117_INIT) / sizeof(VT_MAX30102_RD117_INIT[0]);

uint8_t vt_max30102_available(uint8_t wr_ptr, uint8_t rd_ptr, uint8_t ovf_counter) {
  uint8_t n = (uint8_t)((wr_ptr - rd_ptr) & 0x1F);
  if (n == 0 && (ovf_counter & 0x1F) != 0) return VT_MAX30102_FIFO_DEPTH;
  return n;
}

static uint32_t sample18(const uint8_t *b) {
  return (((uint32_t)b[0] << 16) | ((uint32_t)b[1] << 8) | b[2]) & 0x3FFFFul;
}

size_t vt_max30102_parse_fifo(const uint8_t *bytes, size_t len, bool swap_red_ir,
                              vt_ppg_sample *out, size_t max) {
  if (bytes == NULL || out == NULL) return 0;
  size_t n = len / 6;
  if (n > max) n = max;
  for (size_t i = 0; i < n; i++) {
    uint32_t led1 = sample18(bytes + 6 * i), led2 = sample18(bytes + 6 * i + 3);
    out[i].red = swap_red_ir ? led2 : led1;
    out[i].ir = swap_red_ir ? led1 : led2;
  }
  return n;
}

float vt_max30102_temperature(uint8_t temp_int, uint8_t temp_frac) {
  return (float)(int8_t)temp_int + (float)(temp_frac & 0x0F) * 0.0625f;
}

vt_max_status vt_max30102_begin(const vt_i2c *bus) {
  uint8_t v = 0;
  if (bus->read_regs(bus->ctx, VT_MAX30102_ADDR, VT_MAX30102_PART_ID_REG, &v, 1) != 0) {
    return VT_MAX_E_BUS;
  }
  if (v != VT_MAX30102_PART_ID) return VT_MAX_E_PART;
  if (bus->write_reg(bus->ctx, VT_MAX30102_ADDR, VT_MAX30102_MODE_CONFIG,
                     VT_MAX30102_MODE_RESET) != 0) {
    return VT_MAX_E_BUS;
  }
  int cleared = 0;
  for (int i = 0; i < 10 && !cleared; i++) { /* reset self-clears within 100 ms */
    bus->delay_ms(bus->ctx, 10);
    if (bus->read_regs(bus->ctx, VT_MAX30102_ADDR, VT_MAX30102_MODE_CONFIG, &v, 1) != 0) {
      return VT_MAX_E_BUS;
    }
    cleared = (v & VT_MAX30102_MODE_RESET) == 0;
  }
  if (!cleared) return VT_MAX_E_RESET;
  /* Reading the status registers clears a stale power-ready interrupt. */
  uint8_t st[2];
  if (bus->read_regs(bus->ctx, VT_MAX30102_ADDR, VT_MAX30102_INT_STATUS1, st, 2) != 0) {
    return VT_MAX_E_BUS;
  }
  for (size_t i = 0; i < VT_MAX30102_RD117_INIT_LEN; i++) {
    if (bus->write_reg(bus->ctx, VT_MAX30102_ADDR, VT_MAX30102_RD117_INIT[i].reg,
                       VT_MAX30102_RD117_INIT[i].value) != 0) {
      return VT_MAX_E_BUS;
    }
  }
  return VT_MAX_OK;
}

vt_max_status vt_max30102_read(const vt_i2c *bus, bool swap_red_ir, vt_ppg_sample *out,
                               size_t max, size_t *count) {
  *count = 0;
  uint8_t ptrs[3]; /* WR_PTR, OVF_COUNTER, RD_PTR are consecutive registers */
  if (bus->read_regs(bus->ctx, VT_MAX30102_ADDR, VT_MAX30102_FIFO_WR_PTR, ptrs, 3) != 0) {
    return VT_MAX_E_BUS;
  }
  size_t avail = vt_max30102_available(ptrs[0], ptrs[2], ptrs[1]);
  if (avail > max) avail = max;
  size_t chunk = bus->max_read / 6;
  if (chunk == 0) chunk = 1;
  if (chunk > 5) chunk = 5; /* 30-byte bursts: fit a 32-byte Wire buffer */
  uint8_t buf[30];
  while (*count < avail) {
    size_t k = avail - *count < chunk ? avail - *count : chunk;
    if (bus->read_regs(bus->ctx, VT_MAX30102_ADDR, VT_MAX30102_FIFO_DATA, buf, k * 6) != 0) {
      return VT_MAX_E_BUS;
    }
    *count += vt_max30102_parse_fifo(buf, k * 6, swap_red_ir, out + *count, k);
  }
  return (ptrs[1] & 0x1F) != 0 ? VT_MAX_E_OVERFLOW : VT_MAX_OK;
}
