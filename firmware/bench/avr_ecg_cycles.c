/* Cycle count of the Uno ECG node's per-sample work (vt_ecg_stream_sample: filters, R-peak
 * detector, heart rate, serial line encoding) on an ATmega328P, run in simavr on real
 * MIT-BIH samples. Prints figures over the UART. The Uno samples at 250 Hz, so the work
 * must stay well under 64,000 cycles (4 ms at 16 MHz) per sample, every sample. */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/pgmspace.h>
#include <avr/sleep.h>
#include <stdio.h>

#include "ecg_excerpt.h"
#include "vt_ecg_stream.h"

static int uart_putchar(char c, FILE *s) {
  (void)s;
  loop_until_bit_is_set(UCSR0A, UDRE0);
  UDR0 = (uint8_t)c;
  return 0;
}
static FILE out = FDEV_SETUP_STREAM(uart_putchar, NULL, _FDEV_SETUP_WRITE);

static uint32_t bytes_out, lines_out, hr_lines;
static void sink(const char *line, size_t len, void *ctx) {
  (void)ctx;
  bytes_out += len;
  lines_out++;
  if (line[1] == 'N') hr_lines++;
}

static vt_ecg_stream stream;
static vt_identity id = {1, 0};

int main(void) {
  UCSR0B = _BV(TXEN0);
  stdout = &out;
  vt_decimal factor = {VT_NUM_FINITE, 293, -5};
  vt_ecg_stream_init(&stream, &id, "uno-ecg-01", "0.1.0", 250, 50, 512.0f, factor);
  TCCR1A = 0;
  TCCR1B = _BV(CS11); /* timer1 at F_CPU/8: 8 cycles per tick, 524,288 cycles range */
  uint32_t total = 0, worst = 0, beats = 0;
  for (uint16_t i = 0; i < ECG_N; i++) {
    uint16_t adc = pgm_read_word(&ECG[i]);
    uint32_t up = (uint32_t)i * 4u;
    TCNT1 = 0;
    vt_ecg_stream_sample(&stream, adc, false, false, up, sink, 0);
    uint32_t c = (uint32_t)TCNT1 * 8u;
    total += c;
    if (c > worst) worst = c;
  }
  beats = stream.ecg.nrr;
  printf("avr-bench samples=%u mean_cycles=%lu max_cycles=%lu lines=%lu bytes=%lu hr_lines=%lu rr_kept=%lu\n",
         (unsigned)ECG_N, (unsigned long)(total / ECG_N), (unsigned long)worst,
         (unsigned long)lines_out, (unsigned long)bytes_out, (unsigned long)hr_lines,
         (unsigned long)beats);
  cli();
  sleep_cpu();
  return 0;
}
