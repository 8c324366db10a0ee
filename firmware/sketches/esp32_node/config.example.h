// Copy to config.h (git-ignored) and fill in. Nothing secret is compiled from the repository.
#pragma once

#define WIFI_SSID "your-ssid"
#define WIFI_PASSWORD "your-password"
#define MQTT_HOST "192.168.1.10"  // the broker the device gateway reads (VITALS_MQTT_URL)
#define MQTT_PORT 1883
#define MQTT_USER ""              // empty: anonymous
#define MQTT_PASSWORD ""
#define GATEWAY_ID ""             // empty: this node's own id (it publishes directly)
#define DEVICE_ID ""              // empty: "esp32-" + the last 3 bytes of the Wi-Fi MAC
#define MAINS_HZ 50               // 50 or 60: the ECG notch
#define NTP_SERVER "pool.ntp.org"
#define ENABLE_ECG 1              // AD8232 on GPIO34 / LO+ GPIO32 / LO- GPIO33
#define ENABLE_PULSE_OX 1         // MAX30102 on I2C SDA GPIO21 / SCL GPIO22
#define ENABLE_BP_CUFF 1          // bridge a Bluetooth LE blood pressure cuff (service 0x1810)
#define MAX30102_SWAP_RED_IR 0    // 1 for clone boards with the LEDs swapped
