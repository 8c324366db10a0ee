/* Store-and-forward for readings while the uplink is down, and the identity that makes
 * each reading unique: a boot counter persisted in non-volatile memory and incremented on
 * every reset, plus a sequence number within the boot (docs/wire-format.md: the gateway
 * writes each dev:boot:seq at most once, so re-sending a buffered reading is safe). */
#ifndef VT_STORE_H
#define VT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_reading.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Non-volatile storage of one counter (EEPROM on the Uno, NVS on the ESP32). */
typedef struct {
  int (*read_u32)(void *ctx, uint32_t *value);  /* 0 on success */
  int (*write_u32)(void *ctx, uint32_t value);  /* 0 on success */
  void *ctx;
} vt_nv;

typedef struct {
  uint32_t boot;
  uint32_t next_seq;
} vt_identity;

/* Reads the stored boot counter (erased memory 0xFFFFFFFF counts as 0), adds one, and
 * writes it back before anything is sent. Returns 0, or -1 when it could not be persisted:
 * then the node must not publish (a reused boot number would collide with old readings). */
int vt_identity_start(vt_identity *id, const vt_nv *nv);
/* The next sequence number of this boot (0, 1, 2, ...). */
uint32_t vt_identity_next(vt_identity *id);

/* Fixed-capacity FIFO of readings. When full, the oldest is dropped and counted. */
typedef struct {
  vt_reading *slots;
  uint16_t cap;
  uint16_t head;  /* index of the oldest */
  uint16_t count;
  uint32_t dropped;
} vt_store;

void vt_store_init(vt_store *s, vt_reading *slots, uint16_t cap);
/* Returns true when a reading had to be dropped to make room. */
bool vt_store_push(vt_store *s, const vt_reading *r);
/* The oldest reading, or NULL when empty. */
const vt_reading *vt_store_oldest(const vt_store *s);
/* Removes the oldest if it is (boot, seq), e.g. after its PUBACK; false otherwise (it was
 * dropped meanwhile, or the store is empty). */
bool vt_store_ack(vt_store *s, uint32_t boot, uint32_t seq);
uint16_t vt_store_count(const vt_store *s);

#ifdef __cplusplus
}
#endif
#endif
