/* MAX30102: FIFO parsing vectors, pointer arithmetic, and the driver against a simulated
 * register file (no sensor can run on the host; the simulation follows the data sheet's
 * register behaviour: FIFO_DATA burst reads advance the read pointer). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "vt_max30102.h"

static void fifo_vectors(void **state) {
  (void)state;
  tsv_file *f = tsv_open("max30102-fifo.tsv");
  tsv_row r;
  int rows = 0;
  while (tsv_next(f, &r)) {
    uint8_t bytes[64];
    int n = hex_bytes(r.col[0], bytes, sizeof bytes);
    assert_true(n >= 0);
    vt_ppg_sample s[8];
    size_t got = vt_max30102_parse_fifo(bytes, (size_t)n, r.col[1][0] == '1', s, 8);
    char text[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < got; i++) {
      len += (size_t)snprintf(text + len, sizeof text - len, "%s%lu/%lu", i ? ";" : "",
                              (unsigned long)s[i].red, (unsigned long)s[i].ir);
    }
    assert_string_equal(text, r.col[2]);
    rows++;
  }
  tsv_close(f);
  assert_true(rows >= 5);
  /* max limits the samples written */
  uint8_t two[12] = {0};
  vt_ppg_sample one[1];
  assert_int_equal(vt_max30102_parse_fifo(two, 12, false, one, 1), 1);
}

static void pointers_and_temperature(void **state) {
  (void)state;
  assert_int_equal(vt_max30102_available(5, 2, 0), 3);
  assert_int_equal(vt_max30102_available(2, 30, 0), 4); /* wrapped */
  assert_int_equal(vt_max30102_available(7, 7, 0), 0);
  assert_int_equal(vt_max30102_available(7, 7, 3), 32); /* full, samples lost */
  assert_true(vt_max30102_temperature(0x1E, 0x08) == 30.5f);
  assert_true(vt_max30102_temperature(0xFF, 0x04) == -0.75f);
}

/* --- simulated part --- */
typedef struct {
  uint8_t reg[256];
  uint8_t fifo[32][6];
  int reset_polls;  /* MODE reads before the reset bit clears */
  int bus_error;
  size_t largest_burst;
  int writes[256];
} sim;

static int sim_write(void *ctx, uint8_t addr, uint8_t reg, uint8_t v) {
  sim *s = ctx;
  if (s->bus_error || addr != VT_MAX30102_ADDR) return -1;
  s->reg[reg] = v;
  s->writes[reg]++;
  return 0;
}

static int sim_read(void *ctx, uint8_t addr, uint8_t reg, uint8_t *buf, size_t len) {
  sim *s = ctx;
  if (s->bus_error || addr != VT_MAX30102_ADDR) return -1;
  if (len > s->largest_burst) s->largest_burst = len;
  if (reg == VT_MAX30102_FIFO_DATA) {
    for (size_t i = 0; i < len; i++) {
      uint8_t rd = s->reg[VT_MAX30102_FIFO_RD_PTR] & 0x1F;
      buf[i] = s->fifo[rd][i % 6];
      if (i % 6 == 5) s->reg[VT_MAX30102_FIFO_RD_PTR] = (uint8_t)((rd + 1) & 0x1F);
    }
    return 0;
  }
  for (size_t i = 0; i < len; i++) {
    uint8_t r = (uint8_t)(reg + i);
    if (r == VT_MAX30102_MODE_CONFIG && (s->reg[r] & 0x40)) {
      if (s->reset_polls-- <= 0) s->reg[r] &= (uint8_t)~0x40;
    }
    buf[i] = s->reg[r];
  }
  return 0;
}

static void sim_delay(void *ctx, uint32_t ms) {
  (void)ctx;
  (void)ms;
}

static void driver_configures_and_reads_in_small_bursts(void **state) {
  (void)state;
  sim *s = calloc(1, sizeof *s);
  s->reg[VT_MAX30102_PART_ID_REG] = 0x15;
  s->reset_polls = 2;
  vt_i2c bus = {sim_write, sim_read, sim_delay, s, 32};
  assert_int_equal(vt_max30102_begin(&bus), VT_MAX_OK);
  for (size_t i = 0; i < VT_MAX30102_RD117_INIT_LEN; i++) {
    assert_int_equal(s->reg[VT_MAX30102_RD117_INIT[i].reg], VT_MAX30102_RD117_INIT[i].value);
  }
  assert_int_equal(s->reg[VT_MAX30102_SPO2_CONFIG], 0x27);
  assert_int_equal(s->reg[VT_MAX30102_MODE_CONFIG], 0x03);

  /* 12 samples waiting, starting at slot 28 (wraps). */
  for (int k = 0; k < 12; k++) {
    int slot = (28 + k) % 32;
    uint32_t red = 1000u + (uint32_t)k, ir = 200000u + (uint32_t)k;
    uint8_t b[6] = {(uint8_t)(red >> 16), (uint8_t)(red >> 8), (uint8_t)red,
                    (uint8_t)(ir >> 16), (uint8_t)(ir >> 8), (uint8_t)ir};
    memcpy(s->fifo[slot], b, 6);
  }
  s->reg[VT_MAX30102_FIFO_RD_PTR] = 28;
  s->reg[VT_MAX30102_FIFO_WR_PTR] = 8;
  vt_ppg_sample out[32];
  size_t n = 0;
  s->largest_burst = 0;
  assert_int_equal(vt_max30102_read(&bus, false, out, 32, &n), VT_MAX_OK);
  assert_int_equal(n, 12);
  for (int k = 0; k < 12; k++) {
    assert_int_equal(out[k].red, 1000u + (uint32_t)k);
    assert_int_equal(out[k].ir, 200000u + (uint32_t)k);
  }
  assert_true(s->largest_burst <= 30); /* fits the Uno's 32-byte Wire buffer */
  assert_int_equal(s->reg[VT_MAX30102_FIFO_RD_PTR], 8);

  /* Overflow is reported, and the samples still come. */
  s->reg[VT_MAX30102_OVF_COUNTER] = 4;
  s->reg[VT_MAX30102_FIFO_WR_PTR] = 8;
  assert_int_equal(vt_max30102_read(&bus, false, out, 32, &n), VT_MAX_E_OVERFLOW);
  assert_int_equal(n, 32);
  free(s);
}

static void driver_refuses_wrong_part_and_bus_errors(void **state) {
  (void)state;
  sim *s = calloc(1, sizeof *s);
  vt_i2c bus = {sim_write, sim_read, sim_delay, s, 32};
  s->reg[VT_MAX30102_PART_ID_REG] = VT_MAX30100_PART_ID;
  assert_int_equal(vt_max30102_begin(&bus), VT_MAX_E_PART);
  assert_int_equal(s->writes[VT_MAX30102_MODE_CONFIG], 0); /* nothing written to a MAX30100 */
  s->reg[VT_MAX30102_PART_ID_REG] = 0x15;
  s->reset_polls = 1000; /* reset never clears */
  assert_int_equal(vt_max30102_begin(&bus), VT_MAX_E_RESET);
  s->bus_error = 1;
  assert_int_equal(vt_max30102_begin(&bus), VT_MAX_E_BUS);
  size_t n = 99;
  vt_ppg_sample out[4];
  assert_int_equal(vt_max30102_read(&bus, false, out, 4, &n), VT_MAX_E_BUS);
  assert_int_equal(n, 0);
  free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fifo_vectors),
      cmocka_unit_test(pointers_and_temperature),
      cmocka_unit_test(driver_configures_and_reads_in_small_bursts),
      cmocka_unit_test(driver_refuses_wrong_part_and_bus_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
