/* The hardware abstraction the sketches implement (Arduino Uno: sketches/uno_ecg/hal_avr.cpp,
 * ESP32: sketches/esp32_node/hal_esp32.cpp). The core never calls these itself: it takes
 * what it needs as plain values or small structs (vt_i2c, vt_nv), so it runs and is tested
 * on the host unchanged. */
#ifndef VT_HAL_H
#define VT_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_i2c.h"
#include "vt_store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Milliseconds since reset (wraps after ~49 days; compare with signed differences). */
uint32_t hal_millis(void);

/* Wall clock: true and epoch ms UTC when the clock is synchronised (NTP/RTC). */
bool hal_epoch_ms(int64_t *ms);

/* Starts a hardware timer that calls isr at hz (the sampling clock; never delay()). */
int hal_sample_timer_start(uint32_t hz, void (*isr)(void));

/* Raw ADC reading of an analog input, and a digital input level. */
uint16_t hal_adc_read(uint8_t pin);
bool hal_gpio_read(uint8_t pin);

/* Status LED: see firmware/README.md "LEDs". */
typedef enum { HAL_LED_OFF = 0, HAL_LED_ON, HAL_LED_BLINK_SLOW, HAL_LED_BLINK_FAST } hal_led_mode;
void hal_led(hal_led_mode mode);

/* Bytes out of the serial port (non-blocking where the platform allows). */
size_t hal_serial_write(const char *data, size_t len);

/* The node's I2C bus and its non-volatile counter store. */
const vt_i2c *hal_i2c(void);
const vt_nv *hal_nv(void);

#ifdef __cplusplus
}
#endif
#endif
