/* Boot counter, sequence numbers and the store-and-forward ring. */
#include <string.h>

#include "support.h"
#include "vt_store.h"

typedef struct {
  uint32_t value;
  int fail_read, fail_write, lose_write;
} fake_nv; /* stands in for EEPROM / NVS, which cannot run on the host */

static int nv_read(void *ctx, uint32_t *v) {
  fake_nv *n = ctx;
  if (n->fail_read) return -1;
  *v = n->value;
  return 0;
}

static int nv_write(void *ctx, uint32_t v) {
  fake_nv *n = ctx;
  if (n->fail_write) return -1;
  if (!n->lose_write) n->value = v;
  return 0;
}

static void boot_counter_survives_resets_and_refuses_to_reuse(void **state) {
  (void)state;
  fake_nv mem = {0xFFFFFFFFu, 0, 0, 0}; /* erased */
  vt_nv nv = {nv_read, nv_write, &mem};
  vt_identity id;
  assert_int_equal(vt_identity_start(&id, &nv), 0);
  assert_int_equal(id.boot, 1);
  assert_int_equal(vt_identity_next(&id), 0);
  assert_int_equal(vt_identity_next(&id), 1);
  assert_int_equal(vt_identity_start(&id, &nv), 0); /* a reset */
  assert_int_equal(id.boot, 2);
  assert_int_equal(vt_identity_next(&id), 0);
  mem.value = 0xFFFFFFFEu;
  assert_int_equal(vt_identity_start(&id, &nv), 0);
  assert_int_equal(id.boot, 1); /* never the erased pattern */
  mem.fail_write = 1;
  assert_int_equal(vt_identity_start(&id, &nv), -1);
  mem.fail_write = 0;
  mem.lose_write = 1; /* worn EEPROM: write "succeeds" but does not stick */
  assert_int_equal(vt_identity_start(&id, &nv), -1);
  mem.lose_write = 0;
  mem.fail_read = 1;
  assert_int_equal(vt_identity_start(&id, &nv), -1);
}

static vt_reading reading(uint32_t seq) {
  vt_reading r;
  memset(&r, 0, sizeof r);
  r.boot = 5;
  r.seq = seq;
  r.metric = VT_METRIC_SPO2;
  r.value = (vt_decimal){VT_NUM_FINITE, 97, 0};
  return r;
}

static void ring_keeps_order_drops_oldest_and_counts(void **state) {
  (void)state;
  vt_reading slots[4];
  vt_store s;
  vt_store_init(&s, slots, 4);
  assert_null(vt_store_oldest(&s));
  assert_false(vt_store_ack(&s, 5, 0));
  for (uint32_t i = 0; i < 4; i++) {
    vt_reading r = reading(i);
    assert_false(vt_store_push(&s, &r));
  }
  vt_reading r = reading(4);
  assert_true(vt_store_push(&s, &r)); /* full: seq 0 goes */
  r = reading(5);
  assert_true(vt_store_push(&s, &r));
  assert_int_equal(s.dropped, 2);
  assert_int_equal(vt_store_count(&s), 4);
  assert_int_equal(vt_store_oldest(&s)->seq, 2);
  assert_false(vt_store_ack(&s, 5, 3)); /* not the oldest: nothing removed */
  assert_false(vt_store_ack(&s, 6, 2)); /* other boot */
  for (uint32_t want = 2; want <= 5; want++) {
    const vt_reading *o = vt_store_oldest(&s);
    assert_non_null(o);
    assert_int_equal(o->seq, want);
    assert_true(vt_store_ack(&s, o->boot, o->seq));
  }
  assert_int_equal(vt_store_count(&s), 0);
  /* Wraps cleanly many times. */
  for (uint32_t i = 0; i <= 1000; i++) {
    r = reading(100 + i);
    vt_store_push(&s, &r);
    if (i % 3 == 0) assert_true(vt_store_ack(&s, 5, vt_store_oldest(&s)->seq));
  }
  assert_int_equal(vt_store_count(&s), 4);
  assert_int_equal(vt_store_oldest(&s)->seq, 100 + 997); /* the newest four stay */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(boot_counter_survives_resets_and_refuses_to_reuse),
      cmocka_unit_test(ring_keeps_order_drops_oldest_and_counts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
