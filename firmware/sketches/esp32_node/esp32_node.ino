// Vitals sensor node for an ESP32: pulse oximeter (MAX30102), ECG (AD8232) and a Bluetooth LE
// blood pressure cuff bridge, published over Wi-Fi as MQTT JSON readings at QoS 1
// (docs/wire-format.md). Readings wait in a store-and-forward ring while the link is down.
// All signal work is in the VitalsCore library; this sketch moves samples and bytes.
// Needs: Arduino-ESP32 core 2.x or 3.x, "MQTT" by Joel Gaehwiler (256dpi/arduino-mqtt, for
// QoS 1), "NimBLE-Arduino" by h2zero (1.4.x). Build steps: firmware/README.md.
#include <MQTT.h>
#include <NimBLEDevice.h>
#include <WiFi.h>
#include <Wire.h>
#include <time.h>

#include <VitalsCore.h>
#include <hal.h>
#include <nvs.h>
#include <nvs_flash.h>

#include "config.h"

static const uint16_t ECG_FS = 250;
static const uint8_t PIN_ECG = 34;  // ADC1: ADC2 pins do not work while Wi-Fi is on
static const uint8_t PIN_LO_PLUS = 32;
static const uint8_t PIN_LO_MINUS = 33;
static const uint8_t PIN_LED = 2;
// analogReadMilliVolts gives calibrated mV at the pin; the AD8232 board gain is ~1100.
static const vt_decimal MV_PER_COUNT = {VT_NUM_FINITE, 909, -6};  // 1 mV / 1100 per count
static const float ECG_MID_MV = 1650.0f;                        // REFOUT = Vs/2 at 3.3 V

static char dev_id[33], gw_id[33];
static vt_identity identity;
static bool identity_ok = false;

// ---------------- hal.h ----------------
extern "C" {
uint32_t hal_millis(void) { return millis(); }
bool hal_epoch_ms(int64_t *ms) {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  if (tv.tv_sec < 1700000000) return false;  // not synchronised yet
  *ms = (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
  return true;
}
static TaskHandle_t sampler_task = nullptr;
static hw_timer_t *sample_timer = nullptr;
static void IRAM_ATTR on_sample_timer() {
  BaseType_t woken = pdFALSE;
  vTaskNotifyGiveFromISR(sampler_task, &woken);  // the ADC is not ISR-safe: wake a task
  if (woken) portYIELD_FROM_ISR();
}
int hal_sample_timer_start(uint32_t hz, void (*isr)(void)) {
  (void)isr;
#if defined(ESP_ARDUINO_VERSION_MAJOR) && ESP_ARDUINO_VERSION_MAJOR >= 3
  sample_timer = timerBegin(1000000);
  timerAttachInterrupt(sample_timer, &on_sample_timer);
  timerAlarm(sample_timer, 1000000 / hz, true, 0);
#else
  sample_timer = timerBegin(0, 80, true);  // 1 MHz
  timerAttachInterrupt(sample_timer, &on_sample_timer, true);
  timerAlarmWrite(sample_timer, 1000000 / hz, true);
  timerAlarmEnable(sample_timer);
#endif
  return sample_timer ? 0 : -1;
}
uint16_t hal_adc_read(uint8_t pin) { return (uint16_t)analogReadMilliVolts(pin); }
bool hal_gpio_read(uint8_t pin) { return digitalRead(pin) == HIGH; }
static volatile hal_led_mode led_mode = HAL_LED_OFF;
void hal_led(hal_led_mode mode) { led_mode = mode; }
size_t hal_serial_write(const char *d, size_t n) { return Serial.write((const uint8_t *)d, n); }

static int i2c_write(void *, uint8_t addr, uint8_t reg, uint8_t v) {
  Wire.beginTransmission(addr);
  Wire.write(reg);
  Wire.write(v);
  return Wire.endTransmission() == 0 ? 0 : -1;
}
static int i2c_read(void *, uint8_t addr, uint8_t reg, uint8_t *buf, size_t len) {
  Wire.beginTransmission(addr);
  Wire.write(reg);
  if (Wire.endTransmission(false) != 0) return -1;
  if (Wire.requestFrom((int)addr, (int)len) != (int)len) return -1;
  for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)Wire.read();
  return 0;
}
static void i2c_delay(void *, uint32_t ms) { delay(ms); }  // only during sensor reset
static const vt_i2c I2C = {i2c_write, i2c_read, i2c_delay, nullptr, 32};
const vt_i2c *hal_i2c(void) { return &I2C; }

static int nv_read(void *, uint32_t *v) {
  nvs_handle_t h;
  if (nvs_open("vitals", NVS_READWRITE, &h) != ESP_OK) return -1;
  esp_err_t e = nvs_get_u32(h, "boot", v);
  nvs_close(h);
  if (e == ESP_ERR_NVS_NOT_FOUND) {
    *v = 0;
    return 0;
  }
  return e == ESP_OK ? 0 : -1;
}
static int nv_write(void *, uint32_t v) {
  nvs_handle_t h;
  if (nvs_open("vitals", NVS_READWRITE, &h) != ESP_OK) return -1;
  esp_err_t e = nvs_set_u32(h, "boot", v);
  if (e == ESP_OK) e = nvs_commit(h);
  nvs_close(h);
  return e == ESP_OK ? 0 : -1;
}
static const vt_nv NV = {nv_read, nv_write, nullptr};
const vt_nv *hal_nv(void) { return &NV; }
}

// ---------------- readings waiting for the broker ----------------
static const uint16_t STORE_CAP = 256;
static vt_reading slots[STORE_CAP];
static char slot_dev[STORE_CAP][33];
static char slot_sensor[STORE_CAP][12];
static vt_store store;
static SemaphoreHandle_t store_lock;

static void store_reading(const vt_reading &r, const char *dev, const char *sensor) {
  xSemaphoreTake(store_lock, portMAX_DELAY);
  uint16_t idx = (uint16_t)((store.head + store.count) % store.cap);
  if (store.count == store.cap) idx = store.head;  // the oldest is about to be dropped
  vt_store_push(&store, &r);
  strlcpy(slot_dev[idx], dev, sizeof slot_dev[idx]);
  strlcpy(slot_sensor[idx], sensor, sizeof slot_sensor[idx]);
  xSemaphoreGive(store_lock);
}

// Sequence numbers are taken by the ECG task, the BLE task and loop(): one at a time.
static portMUX_TYPE seq_mux = portMUX_INITIALIZER_UNLOCKED;
static uint32_t next_seq() {
  portENTER_CRITICAL(&seq_mux);
  uint32_t s = vt_identity_next(&identity);
  portEXIT_CRITICAL(&seq_mux);
  return s;
}

static vt_reading new_reading(vt_metric m) {
  vt_reading r;
  memset(&r, 0, sizeof r);
  r.boot = identity.boot;
  r.seq = next_seq();
  r.up_ms = millis();
  r.tsq = hal_epoch_ms(&r.ts_ms) ? VT_TSQ_NTP : VT_TSQ_NONE;
  r.metric = (uint8_t)m;
  r.value.kind = VT_NUM_NAN;
  return r;
}

// ---------------- ECG: timer -> sampler task -> chunks ----------------
#if ENABLE_ECG
static vt_ecg ecg;
static int16_t chunk[ECG_FS];
static uint16_t chunk_n = 0;
static uint16_t chunk_status = 0;
static int64_t chunk_t0 = 0;
static uint32_t chunk_up = 0;
static bool chunk_timed = false;
static QueueHandle_t ecg_chunks;  // of EcgChunk*, published by loop()
struct EcgChunk {
  vt_wave w;
  int16_t s[ECG_FS];
};
static volatile uint32_t ecg_chunks_dropped = 0;

static void sampler(void *) {
  uint32_t next_hr = 0;
  for (;;) {
    ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
    uint32_t up = millis();
    // One count = 1 mV at the pin = MV_PER_COUNT at the electrodes.
    float counts = (float)analogReadMilliVolts(PIN_ECG) - ECG_MID_MV;
    vt_ecg_out o;
    vt_ecg_step(&ecg, counts, hal_gpio_read(PIN_LO_PLUS), hal_gpio_read(PIN_LO_MINUS), &o);
    if (chunk_n == 0) {
      chunk_up = up;
      chunk_status = 0;
      // Chunk times advance by exactly 1 s of samples from one anchor, so chunks are
      // contiguous as the wire format asks; re-anchor when the clock has moved by more
      // than 2 s (first NTP sync, a large NTP step, or lost timer ticks).
      int64_t now_ms;
      chunk_timed = hal_epoch_ms(&now_ms);
      if (chunk_timed) {
        static int64_t next_t0 = 0;
        int64_t diff = now_ms - next_t0;
        if (next_t0 == 0 || diff > 2000 || diff < -2000) next_t0 = now_ms;
        chunk_t0 = next_t0;
        next_t0 += 1000;
      }
    }
    float v = o.filtered;
    chunk[chunk_n++] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : lroundf(v));
    chunk_status |= o.status;
    if (chunk_n == ECG_FS) {
      chunk_n = 0;
      EcgChunk *c = chunk_timed ? (EcgChunk *)malloc(sizeof(EcgChunk)) : nullptr;
      if (c == nullptr) {
        ecg_chunks_dropped++;  // no clock yet (ECG needs ts) or out of memory
      } else {
        memcpy(c->s, chunk, sizeof chunk);
        memset(&c->w, 0, sizeof c->w);
        c->w.boot = identity.boot;
        c->w.seq = next_seq();
        c->w.up_ms = chunk_up;
        c->w.t0_ms = chunk_t0;
        c->w.tsq = VT_TSQ_NTP;
        c->w.kind = VT_WAVE_ECG;
        c->w.status = chunk_status;
        c->w.mdc = VT_MDC_ECG_LEAD_II;
        c->w.period_ms = {VT_NUM_FINITE, (int32_t)(1000000 / ECG_FS), -3};
        c->w.origin = {VT_NUM_FINITE, 0, 0};
        c->w.factor = MV_PER_COUNT;
        c->w.n = ECG_FS;
        c->w.samples = c->s;
        if (xQueueSend(ecg_chunks, &c, 0) != pdTRUE) {  // 10 s backlog full: drop oldest
          EcgChunk *old;
          if (xQueueReceive(ecg_chunks, &old, 0) == pdTRUE) free(old);
          ecg_chunks_dropped++;
          xQueueSend(ecg_chunks, &c, 0);
        }
      }
    }
    if ((int32_t)(up - next_hr) >= 0) {
      vt_reading r = new_reading(VT_METRIC_HR);
      r.status = vt_ecg_heart_rate(&ecg, &r.value);
      store_reading(r, dev_id, "ad8232");
      next_hr = up + 1000;
    }
  }
}
#endif

// ---------------- pulse oximeter ----------------
#if ENABLE_PULSE_OX
static const size_t PPG_N = 200;  // 8 s at 25 samples/s
static float ppg_red[PPG_N], ppg_ir[PPG_N], ppg_work[2 * PPG_N];
static size_t ppg_fill = 0;
static bool max_ok = false;
static uint32_t next_ppg = 0;
static vt_ppg_config ppg_cfg;

static void poll_pulse_ox() {
  if (!max_ok) return;
  vt_ppg_sample s[32];
  size_t n = 0;
  vt_max_status st = vt_max30102_read(hal_i2c(), MAX30102_SWAP_RED_IR, s, 32, &n);
  for (size_t i = 0; i < n; i++) {  // slide the 8-s window
    if (ppg_fill == PPG_N) {
      memmove(ppg_red, ppg_red + 1, (PPG_N - 1) * sizeof(float));
      memmove(ppg_ir, ppg_ir + 1, (PPG_N - 1) * sizeof(float));
      ppg_fill--;
    }
    ppg_red[ppg_fill] = (float)s[i].red;
    ppg_ir[ppg_fill] = (float)s[i].ir;
    ppg_fill++;
  }
  if ((int32_t)(millis() - next_ppg) < 0) return;
  next_ppg = millis() + 1000;
  vt_reading spo2 = new_reading(VT_METRIC_SPO2), pr = new_reading(VT_METRIC_PR);
  if (st == VT_MAX_E_BUS) {
    spo2.status = pr.status = VT_ST_SENSOR_ERROR;
  } else if (ppg_fill < PPG_N) {
    spo2.status = pr.status = VT_ST_NO_SIGNAL;  // window still filling
  } else {
    vt_ppg_result res;
    vt_ppg_analyse(ppg_red, ppg_ir, PPG_N, &ppg_cfg, ppg_work, &res);
    spo2.status = pr.status = res.status;
    spo2.value = res.spo2;
    pr.value = res.hr;
  }
  store_reading(spo2, dev_id, "max30102");
  store_reading(pr, dev_id, "max30102");
}
#endif

// ---------------- Bluetooth LE blood pressure cuff ----------------
#if ENABLE_BP_CUFF
static NimBLEAddress cuff_addr;
static volatile bool cuff_found = false;
static char cuff_id[33];

class CuffScan : public NimBLEAdvertisedDeviceCallbacks {
  void onResult(NimBLEAdvertisedDevice *d) override {
    if (d->isAdvertisingService(NimBLEUUID((uint16_t)0x1810))) {
      cuff_addr = d->getAddress();
      cuff_found = true;
      NimBLEDevice::getScan()->stop();
    }
  }
};

static void on_bp_indication(NimBLERemoteCharacteristic *, uint8_t *data, size_t len, bool) {
  vt_gatt_bp m;
  vt_reading r = new_reading(VT_METRIC_BP);
  vt_gatt_status st = vt_gatt_bp_decode(data, len, &m);
  if (st != VT_GATT_OK) {
    Serial.printf("# vitals: cuff payload rejected (%d), %u bytes\n", (int)st, (unsigned)len);
    return;
  }
  vt_gatt_bp_to_reading(&m, &r);
  store_reading(r, cuff_id, "ble-2a35");
}

static void poll_cuff() {
  static NimBLEClient *client = nullptr;
  static uint32_t next_scan = 0;
  if (client != nullptr && client->isConnected()) return;
  if (!cuff_found) {
    if ((int32_t)(millis() - next_scan) >= 0 && !NimBLEDevice::getScan()->isScanning()) {
      NimBLEDevice::getScan()->start(5, nullptr, false);  // 5-s scan, non-blocking
      next_scan = millis() + 15000;
    }
    return;
  }
  if (client == nullptr) client = NimBLEDevice::createClient();
  if (!client->connect(cuff_addr)) {
    cuff_found = false;
    return;
  }
  // Device id = the cuff's Bluetooth address without separators.
  std::string a = cuff_addr.toString();
  size_t k = 0;
  for (char c : a) {
    if (c != ':' && k < sizeof cuff_id - 1) cuff_id[k++] = c;
  }
  cuff_id[k] = '\0';
  NimBLERemoteService *svc = client->getService(NimBLEUUID((uint16_t)0x1810));
  NimBLERemoteCharacteristic *chr = svc ? svc->getCharacteristic(NimBLEUUID((uint16_t)0x2A35)) : nullptr;
  // 0x2A35 indicates: subscribe to indications (CCCD 0x0002), not notifications.
  if (chr == nullptr || !chr->subscribe(false, on_bp_indication)) {
    client->disconnect();
    cuff_found = false;
  }
}
#endif

// ---------------- MQTT ----------------
static WiFiClient net;
static MQTTClient mqtt(2048);  // an ECG chunk of 250 samples is ~1.4 kB of JSON
static char topic[160], payload[2048];

static bool mqtt_connect() {
  if (mqtt.connected()) return true;
  if (WiFi.status() != WL_CONNECTED) return false;
  char status_topic[160];
  vt_json_topic(status_topic, sizeof status_topic, gw_id, dev_id, "status");
  char offline[32];
  vt_json_status(offline, sizeof offline, false, 0, nullptr);
  mqtt.setWill(status_topic, offline, true, 1);
  bool auth = strlen(MQTT_USER) > 0;  // empty user: connect anonymously
  if (!mqtt.connect(dev_id, auth ? MQTT_USER : nullptr, auth ? MQTT_PASSWORD : nullptr)) return false;
  char online[96];
  vt_json_status(online, sizeof online, true, identity.boot, VITALS_CORE_VERSION);
  mqtt.publish(status_topic, online, true, 1);
  return true;
}

// Publishes the oldest stored reading; removes it only after the broker's PUBACK.
static bool publish_one() {
  xSemaphoreTake(store_lock, portMAX_DELAY);
  const vt_reading *o = vt_store_oldest(&store);
  if (o == nullptr) {
    xSemaphoreGive(store_lock);
    return false;
  }
  vt_reading r = *o;
  char dev[33], sensor[12];
  strlcpy(dev, slot_dev[store.head], sizeof dev);
  strlcpy(sensor, slot_sensor[store.head], sizeof sensor);
  xSemaphoreGive(store_lock);
  vt_json_device d = {dev, sensor, VITALS_CORE_VERSION};
  const vt_metric_info *mi = vt_metric_lookup((vt_metric)r.metric);
  if (vt_json_topic(topic, sizeof topic, gw_id, dev, mi->name) < 0 ||
      vt_json_reading(payload, sizeof payload, &d, &r) < 0) {
    xSemaphoreTake(store_lock, portMAX_DELAY);
    vt_store_ack(&store, r.boot, r.seq);  // cannot be encoded: never will be
    xSemaphoreGive(store_lock);
    return true;
  }
  if (!mqtt.publish(topic, payload, false, 1)) return false;  // QoS 1: true after PUBACK
  xSemaphoreTake(store_lock, portMAX_DELAY);
  vt_store_ack(&store, r.boot, r.seq);
  xSemaphoreGive(store_lock);
  return true;
}

void setup() {
  Serial.begin(115200);
  pinMode(PIN_LED, OUTPUT);
  pinMode(PIN_LO_PLUS, INPUT);
  pinMode(PIN_LO_MINUS, INPUT);
  nvs_flash_init();
  uint8_t mac[6];
  WiFi.macAddress(mac);
  if (strlen(DEVICE_ID)) {
    strlcpy(dev_id, DEVICE_ID, sizeof dev_id);
  } else {
    snprintf(dev_id, sizeof dev_id, "esp32-%02x%02x%02x", mac[3], mac[4], mac[5]);
  }
  strlcpy(gw_id, strlen(GATEWAY_ID) ? GATEWAY_ID : dev_id, sizeof gw_id);
  identity_ok = vt_identity_start(&identity, hal_nv()) == 0;
  if (!identity_ok) {
    Serial.println("# vitals: NVS boot counter not writable; not publishing");
    hal_led(HAL_LED_BLINK_FAST);
    return;
  }
  store_lock = xSemaphoreCreateMutex();
  vt_store_init(&store, slots, STORE_CAP);
  Serial.printf("# vitals: device %s boot %u gateway %s\n", dev_id, (unsigned)identity.boot, gw_id);

  WiFi.mode(WIFI_STA);
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
  configTime(0, 0, NTP_SERVER);
  mqtt.begin(MQTT_HOST, MQTT_PORT, net);
  mqtt.setOptions(15, false, 5000);  // keep-alive 15 s, persistent session, 5 s PUBACK timeout

#if ENABLE_PULSE_OX
  Wire.begin(21, 22, 400000);
  vt_ppg_config_default(&ppg_cfg, VT_MAX30102_RD117_RATE);
  max_ok = vt_max30102_begin(hal_i2c()) == VT_MAX_OK;
  if (!max_ok) Serial.println("# vitals: MAX30102 not found (PART_ID 0x15 at 0x57)");
#endif
#if ENABLE_BP_CUFF
  NimBLEDevice::init("");
  NimBLEDevice::getScan()->setAdvertisedDeviceCallbacks(new CuffScan());
  NimBLEDevice::getScan()->setActiveScan(true);
#endif
#if ENABLE_ECG
  analogReadResolution(12);
  vt_ecg_init(&ecg, ECG_FS, MAINS_HZ);
  ecg_chunks = xQueueCreate(10, sizeof(EcgChunk *));
  xTaskCreatePinnedToCore(sampler, "ecg", 8192, nullptr, configMAX_PRIORITIES - 2, &sampler_task, 1);
  hal_sample_timer_start(ECG_FS, nullptr);
#endif
}

static void drive_led() {
  uint32_t now = millis();
  bool on = led_mode == HAL_LED_ON || (led_mode == HAL_LED_BLINK_SLOW && (now / 500) & 1) ||
            (led_mode == HAL_LED_BLINK_FAST && (now / 100) & 1);
  digitalWrite(PIN_LED, on ? HIGH : LOW);
}

void loop() {
  if (!identity_ok) {
    drive_led();
    return;
  }
#if ENABLE_PULSE_OX
  poll_pulse_ox();
#endif
#if ENABLE_BP_CUFF
  poll_cuff();
#endif
  bool online = mqtt_connect();
  if (online) {
    mqtt.loop();
    for (int i = 0; i < 8 && publish_one(); i++) {
    }
#if ENABLE_ECG
    EcgChunk *c;
    if (xQueuePeek(ecg_chunks, &c, 0) == pdTRUE) {
      vt_json_device d = {dev_id, "ad8232", VITALS_CORE_VERSION};
      if (vt_json_topic(topic, sizeof topic, gw_id, dev_id, "ecg") > 0 &&
          vt_json_ecg(payload, sizeof payload, &d, &c->w) > 0 &&
          mqtt.publish(topic, payload, false, 1)) {
        xQueueReceive(ecg_chunks, &c, 0);
        free(c);
      }
    }
#endif
  }
  hal_led(!online ? HAL_LED_BLINK_FAST : store.count > 16 ? HAL_LED_BLINK_SLOW : HAL_LED_ON);
  drive_led();
  delay(5);  // yields to Wi-Fi; sampling runs on the hardware timer, not here
}
