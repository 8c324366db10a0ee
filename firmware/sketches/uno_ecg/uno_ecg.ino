// Vitals ECG node for an Arduino Uno + AD8232: samples lead II at 250 Hz on Timer1 and
// streams the serial line protocol (docs/wire-format.md) at 115200 baud. All signal work is
// in the VitalsCore library; this sketch only moves samples and bytes. Wiring: README.md.
#include <EEPROM.h>
#include <VitalsCore.h>
#include <hal.h>

// ---- configuration (see firmware/README.md "Configure") ----
#ifndef DEVICE_ID
#define DEVICE_ID "uno-ecg-01"  // [A-Za-z0-9._-], unique per node: the gateway's device id
#endif
#ifndef MAINS_HZ
#define MAINS_HZ 50  // 50 (Europe) or 60 (Americas): the notch
#endif
static const uint16_t FS = 250;        // samples per second (Timer1)
static const uint8_t PIN_ECG = A0;     // AD8232 OUTPUT
static const uint8_t PIN_LO_PLUS = 10; // AD8232 LO+
static const uint8_t PIN_LO_MINUS = 11;// AD8232 LO-
static const uint8_t PIN_LED = LED_BUILTIN;
static const int EEPROM_BOOT_ADDR = 0; // 4 bytes: the boot counter
// 10-bit ADC on AREF = 3.3 V, AD8232 gain 100 x SparkFun board's second stage 11 = 1100:
// 3300 mV / 1024 / 1100 = 0.00293 mV per count (adjust to your board's gain).
static const vt_decimal MV_PER_COUNT = {VT_NUM_FINITE, 293, -5};

// ---- sampling: Timer1 ISR -> small queue -> loop() ----
struct Sample {
  uint16_t adc;
  uint8_t lo;  // bit0 LO+, bit1 LO-
  uint32_t up;
};
static volatile Sample queue[8];
static volatile uint8_t q_head = 0, q_tail = 0;
static volatile uint16_t q_overruns = 0;

static uint32_t sample_count = 0;

ISR(TIMER1_COMPA_vect) {
  Sample s;
  s.adc = (uint16_t)analogRead(PIN_ECG);  // ~112 us of the 4000 us period
  s.lo = (uint8_t)((digitalRead(PIN_LO_PLUS) ? 1 : 0) | (digitalRead(PIN_LO_MINUS) ? 2 : 0));
  // Uptime from the sample clock itself (4 ms per sample from the same crystal), so the
  // W lines' times are exactly contiguous; millis() would jitter by its 1.024 ms tick.
  s.up = sample_count * (1000UL / FS);
  sample_count++;
  uint8_t next = (uint8_t)((q_head + 1) & 7);
  if (next == q_tail) {
    q_overruns++;  // loop() fell behind: counted, shown on the LED
    return;
  }
  queue[q_head].adc = s.adc;
  queue[q_head].lo = s.lo;
  queue[q_head].up = s.up;
  q_head = next;
}

// ---- hal.h ----
extern "C" {
uint32_t hal_millis(void) { return millis(); }
bool hal_epoch_ms(int64_t *ms) {
  (void)ms;
  return false;  // no clock: the gateway stamps readings (tsq "gw")
}
int hal_sample_timer_start(uint32_t hz, void (*isr)(void)) {
  (void)isr;  // the ISR above is the only sampling routine
  noInterrupts();
  TCCR1A = 0;
  TCCR1B = (1 << WGM12) | (1 << CS11) | (1 << CS10);  // CTC, prescaler 64
  OCR1A = (uint16_t)(F_CPU / 64UL / hz - 1UL);        // 999 at 250 Hz
  TCNT1 = 0;
  TIMSK1 = (1 << OCIE1A);
  interrupts();
  return 0;
}
uint16_t hal_adc_read(uint8_t pin) { return (uint16_t)analogRead(pin); }
bool hal_gpio_read(uint8_t pin) { return digitalRead(pin) == HIGH; }
static hal_led_mode led_mode = HAL_LED_OFF;
void hal_led(hal_led_mode mode) { led_mode = mode; }
size_t hal_serial_write(const char *data, size_t len) { return Serial.write((const uint8_t *)data, len); }
static int nv_read(void *, uint32_t *v) {
  EEPROM.get(EEPROM_BOOT_ADDR, *v);
  return 0;
}
static int nv_write(void *, uint32_t v) {
  EEPROM.put(EEPROM_BOOT_ADDR, v);
  return 0;
}
static const vt_nv NV = {nv_read, nv_write, 0};
const vt_nv *hal_nv(void) { return &NV; }
const vt_i2c *hal_i2c(void) { return 0; }  // no I2C sensor on this node
}

static vt_identity identity;
static vt_ecg_stream stream;
static bool ready = false;

static void send_line(const char *line, size_t len, void *) { hal_serial_write(line, len); }

void setup() {
  pinMode(PIN_LO_PLUS, INPUT);
  pinMode(PIN_LO_MINUS, INPUT);
  pinMode(PIN_LED, OUTPUT);
  analogReference(EXTERNAL);  // AREF wired to 3.3 V (the AD8232 supply)
  Serial.begin(115200);
  if (vt_identity_start(&identity, hal_nv()) != 0 ||
      vt_ecg_stream_init(&stream, &identity, DEVICE_ID, VITALS_CORE_VERSION, FS, MAINS_HZ, 512.0f,
                         MV_PER_COUNT) != 0) {
    Serial.println(F("# vitals: EEPROM boot counter not writable; halted"));
    hal_led(HAL_LED_BLINK_FAST);
    return;
  }
  ready = true;
  hal_sample_timer_start(FS, 0);
}

static void drive_led(uint32_t now) {
  bool on;
  switch (led_mode) {
    case HAL_LED_ON: on = true; break;
    case HAL_LED_BLINK_SLOW: on = (now / 500) & 1; break;
    case HAL_LED_BLINK_FAST: on = (now / 100) & 1; break;
    default: on = false;
  }
  digitalWrite(PIN_LED, on ? HIGH : LOW);
}

void loop() {
  uint32_t now = millis();
  if (ready) {
    while (q_tail != q_head) {
      Sample s;
      noInterrupts();
      s.adc = queue[q_tail].adc;
      s.lo = queue[q_tail].lo;
      s.up = queue[q_tail].up;
      q_tail = (uint8_t)((q_tail + 1) & 7);
      interrupts();
      vt_ecg_stream_sample(&stream, s.adc, s.lo & 1, s.lo & 2, s.up, send_line, 0);
    }
    if (q_overruns) {
      hal_led(HAL_LED_BLINK_FAST);
    } else if (stream.ecg.lead_off) {
      hal_led(HAL_LED_ON);
    } else {
      hal_led(HAL_LED_BLINK_SLOW);
    }
  }
  drive_led(now);
}
