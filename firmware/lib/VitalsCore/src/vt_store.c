#include "vt_store.h"

#include <string.h>

int vt_identity_start(vt_identity *id, const vt_nv *nv) {
  if (id == NULL || nv == NULL || nv->read_u32 == NULL || nv->write_u32 == NULL) return -1;
  uint32_t stored = 0;
  if (nv->read_u32(nv->ctx, &stored) != 0) return -1;
  if (stored == 0xFFFFFFFFul) stored = 0; /* erased EEPROM / flash */
  uint32_t boot = stored + 1u;
  if (boot == 0xFFFFFFFFul) boot = 1u; /* never write the erased pattern */
  if (nv->write_u32(nv->ctx, boot) != 0) return -1;
  uint32_t check = 0;
  if (nv->read_u32(nv->ctx, &check) != 0 || check != boot) return -1;
  id->boot = boot;
  id->next_seq = 0;
  return 0;
}

uint32_t vt_identity_next(vt_identity *id) { return id->next_seq++; }

void vt_store_init(vt_store *s, vt_reading *slots, uint16_t cap) {
  s->slots = slots;
  s->cap = cap;
  s->head = 0;
  s->count = 0;
  s->dropped = 0;
}

bool vt_store_push(vt_store *s, const vt_reading *r) {
  if (s->cap == 0) {
    s->dropped++;
    return true;
  }
  bool dropped = false;
  if (s->count == s->cap) { /* full: the oldest goes */
    s->head = (uint16_t)((s->head + 1) % s->cap);
    s->count--;
    s->dropped++;
    dropped = true;
  }
  s->slots[(s->head + s->count) % s->cap] = *r;
  s->count++;
  return dropped;
}

const vt_reading *vt_store_oldest(const vt_store *s) {
  return s->count ? &s->slots[s->head] : NULL;
}

bool vt_store_ack(vt_store *s, uint32_t boot, uint32_t seq) {
  const vt_reading *r = vt_store_oldest(s);
  if (r == NULL || r->boot != boot || r->seq != seq) return false;
  s->head = (uint16_t)((s->head + 1) % s->cap);
  s->count--;
  return true;
}

uint16_t vt_store_count(const vt_store *s) { return s->count; }
