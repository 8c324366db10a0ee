/* MQTT JSON reading v1 encoder; see vt_json.h. */
#include "vt_json.h"

#include <string.h>

#include "vt_text.h"

static const char *const TSQ[] = {"none", "ntp", "rtc", "gw"};

bool vt_json_valid_id(const char *id) {
  if (id == NULL) return false;
  size_t n = strlen(id);
  if (n == 0 || n > 64) return false;
  for (size_t i = 0; i < n; i++) {
    char c = id[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '.' || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

/* JSON string with the few escapes free text can need (ids are already safe). */
static void put_string(vt_text *t, const char *s) {
  vt_text_char(t, '"');
  for (; s != NULL && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      vt_text_char(t, '\\');
      vt_text_char(t, (char)c);
    } else if (c < 0x20) {
      vt_text_str(t, "\\u00");
      vt_text_char(t, "0123456789abcdef"[c >> 4]);
      vt_text_char(t, "0123456789abcdef"[c & 0xF]);
    } else {
      vt_text_char(t, (char)c);
    }
  }
  vt_text_char(t, '"');
}

static void put_key(vt_text *t, const char *k) {
  vt_text_char(t, ',');
  vt_text_char(t, '"');
  vt_text_str(t, k);
  vt_text_str(t, "\":");
}

static void put_head(vt_text *t, const vt_json_device *d, uint32_t boot, uint32_t seq,
                     int64_t ts, uint8_t tsq, uint32_t up, const char *metric, const char *suffix) {
  vt_text_str(t, "{\"v\":1");
  put_key(t, "id");
  vt_text_char(t, '"');
  vt_text_str(t, d->dev);
  vt_text_char(t, ':');
  vt_text_u32(t, boot);
  vt_text_char(t, ':');
  vt_text_u32(t, seq);
  if (suffix != NULL) vt_text_str(t, suffix);
  vt_text_char(t, '"');
  put_key(t, "dev");
  put_string(t, d->dev);
  put_key(t, "boot");
  vt_text_u32(t, boot);
  put_key(t, "seq");
  vt_text_u32(t, seq);
  if (tsq != VT_TSQ_NONE) {
    put_key(t, "ts");
    vt_text_u64(t, (uint64_t)ts);
  }
  put_key(t, "tsq");
  put_string(t, TSQ[tsq]);
  put_key(t, "up");
  vt_text_u32(t, up);
  put_key(t, "metric");
  put_string(t, metric);
}

static void put_status(vt_text *t, uint16_t st) {
  put_key(t, "st");
  vt_text_char(t, '[');
  if (st == 0) {
    vt_text_str(t, "\"valid\"");
  } else {
    bool first = true;
    for (unsigned i = 0; i < VT_ST_COUNT; i++) {
      if (st & (1u << i)) {
        if (!first) vt_text_char(t, ',');
        put_string(t, vt_status_name(i));
        first = false;
      }
    }
  }
  vt_text_char(t, ']');
}

static void put_src(vt_text *t, const vt_json_device *d) {
  if (d->sensor == NULL && d->fw == NULL) return;
  put_key(t, "src");
  vt_text_char(t, '{');
  if (d->sensor != NULL) {
    vt_text_str(t, "\"sensor\":");
    put_string(t, d->sensor);
  }
  if (d->fw != NULL) {
    if (d->sensor != NULL) vt_text_char(t, ',');
    vt_text_str(t, "\"fw\":");
    put_string(t, d->fw);
  }
  vt_text_char(t, '}');
}

static void put_value(vt_text *t, bool has, vt_decimal v) {
  if (has && v.kind == VT_NUM_FINITE) {
    vt_text_decimal(t, v);
  } else {
    vt_text_str(t, "null");
  }
}

int vt_json_reading(char *buf, size_t cap, const vt_json_device *d, const vt_reading *r) {
  if (d == NULL || r == NULL || !vt_json_valid_id(d->dev) || r->tsq > VT_TSQ_GW) return -1;
  const vt_metric_info *mi = vt_metric_lookup((vt_metric)r->metric);
  if (mi == NULL) return -1;
  bool has = vt_reading_has_value(r);
  vt_text t;
  vt_text_init(&t, buf, cap);
  put_head(&t, d, r->boot, r->seq, r->ts_ms, r->tsq, r->up_ms, mi->name, NULL);
  if (r->metric == VT_METRIC_BP) {
    static const char *const KEYS[3] = {"150021", "150022", "150023"};
    put_key(&t, "unit");
    put_string(&t, mi->unit);
    put_key(&t, "cmp");
    vt_text_char(&t, '{');
    int written = 0;
    for (int i = 0; i < 3; i++) {
      /* Mean is optional: left out when the cuff did not give one. */
      if (i == VT_BP_MEAN && has && r->cmp[i].kind != VT_NUM_FINITE) continue;
      if (written++) vt_text_char(&t, ',');
      put_string(&t, KEYS[i]);
      vt_text_char(&t, ':');
      put_value(&t, has, r->cmp[i]);
    }
    vt_text_char(&t, '}');
    if (r->has_pr) {
      put_key(&t, "pr");
      vt_text_str(&t, "{\"val\":");
      put_value(&t, has, r->pr);
      vt_text_str(&t, ",\"unit\":\"/min\"}");
    }
  } else {
    put_key(&t, "mdc");
    vt_text_u32(&t, mi->mdc);
    put_key(&t, "val");
    put_value(&t, has, r->value);
    put_key(&t, "unit");
    put_string(&t, mi->unit);
    if (has) {
      put_key(&t, "prec");
      vt_text_i32(&t, r->value.exponent);
    }
  }
  put_status(&t, r->status);
  put_src(&t, d);
  vt_text_char(&t, '}');
  return vt_text_finish(&t);
}

int vt_json_ecg(char *buf, size_t cap, const vt_json_device *d, const vt_wave *w) {
  if (d == NULL || w == NULL || !vt_json_valid_id(d->dev) || w->kind != VT_WAVE_ECG ||
      w->tsq == VT_TSQ_NONE || w->tsq > VT_TSQ_GW || w->n == 0 || w->n > 5000 ||
      w->samples == NULL || w->period_ms.kind != VT_NUM_FINITE || w->period_ms.mantissa <= 0 ||
      w->origin.kind != VT_NUM_FINITE || w->factor.kind != VT_NUM_FINITE ||
      w->factor.mantissa <= 0) {
    return -1;
  }
  vt_text t;
  vt_text_init(&t, buf, cap);
  put_head(&t, d, w->boot, w->seq, w->t0_ms, w->tsq, w->up_ms, "ecg", NULL);
  put_key(&t, "unit");
  put_string(&t, "mV");
  put_key(&t, "period");
  vt_text_decimal(&t, w->period_ms);
  put_key(&t, "origin");
  vt_text_decimal(&t, w->origin);
  put_key(&t, "factor");
  vt_text_decimal(&t, w->factor);
  put_key(&t, "leads");
  vt_text_str(&t, "[{\"mdc\":");
  vt_text_u32(&t, w->mdc);
  vt_text_str(&t, ",\"data\":[");
  for (uint16_t i = 0; i < w->n && !t.overflow; i++) {
    if (i) vt_text_char(&t, ',');
    vt_text_i32(&t, w->samples[i]);
  }
  vt_text_str(&t, "]}]");
  put_status(&t, w->status);
  put_src(&t, d);
  vt_text_char(&t, '}');
  return vt_text_finish(&t);
}

int vt_json_status(char *buf, size_t cap, bool online, uint32_t boot, const char *fw) {
  vt_text t;
  vt_text_init(&t, buf, cap);
  vt_text_str(&t, "{\"v\":1,\"online\":");
  if (online) {
    vt_text_str(&t, "true,\"boot\":");
    vt_text_u32(&t, boot);
    if (fw != NULL) {
      vt_text_str(&t, ",\"fw\":");
      put_string(&t, fw);
    }
  } else {
    vt_text_str(&t, "false");
  }
  vt_text_char(&t, '}');
  return vt_text_finish(&t);
}

int vt_json_topic(char *buf, size_t cap, const char *gateway, const char *dev,
                  const char *leaf) {
  if (!vt_json_valid_id(gateway) || !vt_json_valid_id(dev) || !vt_json_valid_id(leaf)) return -1;
  vt_text t;
  vt_text_init(&t, buf, cap);
  vt_text_str(&t, "vitals/v1/");
  vt_text_str(&t, gateway);
  vt_text_char(&t, '/');
  vt_text_str(&t, dev);
  vt_text_char(&t, '/');
  vt_text_str(&t, leaf);
  return vt_text_finish(&t);
}
