/* libnvstorage key-value store under power cuts at every byte: for each
 * scenario (put, replace, delete, add, delete-at, batch, compaction, wipe,
 * a first write that formats, puts and batches that compact a nearly full
 * store, a value too big for one storage call), the operation is run once
 * whole to count the bytes it writes, then again from the same image cut
 * after 0, 1, ... of them. After each cut the store must open without
 * reporting damage and show the state before the operation or after it
 * (per batch: all or nothing), and must then take a further change and
 * show it after another open. */
/* clang-format off */
/* HOST_TEST_SRCS: libnvstorage/nvs_error.c libnvstorage/nvs_crc32.c libnvstorage/nvs_kv.c libnvstorage/nvs_kv_format.c libnvstorage/nvs_kv_frame.c libnvstorage/nvs_kv_index.c libnvstorage/nvs_kv_scan.c libnvstorage/host/nvs_fake.c tests/host/support/kv_model.c */
/* clang-format on */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "libnvstorage/host/nvs_fake.h"
#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kv.h"
#include "tests/host/support/kv_model.h"

#define REGION   2048u
#define AREA_OFF 64u
#define AREA     1024u
#define CAP      32u

static struct nvs_kv kv;
static struct nvs_kv_slot slots[CAP];
static struct km before, after, scratch;
static uint8_t image[REGION];
static uint8_t big[300];

typedef int op_fn(void);

static int open_store(void)
{
    return nvs_kv_open(&kv, AREA_OFF, AREA, slots, CAP);
}

static int put_str(const char *key, const char *val)
{
    return nvs_kv_put(&kv, key, strlen(key), val, strlen(val));
}

/* ---- starting states ---- */

static void fresh(void)
{
}

static void some_keys(void)
{
    assert_int_equal(put_str("alpha", "first value"), NVS_OK);
    assert_int_equal(put_str("beta", "second"), NVS_OK);
    assert_int_equal(nvs_kv_add(&kv, "list", 4, "L0", 2), NVS_OK);
    assert_int_equal(nvs_kv_add(&kv, "list", 4, "L1", 2), NVS_OK);
    assert_int_equal(put_str("alpha", "replaced once"), NVS_OK); /* garbage to compact */
}

/* Live data near the bank's capacity, and the log near its end: the next
 * put or batch has to compact first. */
static void nearly_full(void)
{
    uint8_t v[60];
    char key[8];
    memset(v, 0x33, sizeof(v));
    for (unsigned i = 0; nvs_kv_free_after_compaction(&kv) > 140; i++) {
        snprintf(key, sizeof(key), "n%u", i);
        assert_int_equal(nvs_kv_put(&kv, key, strlen(key), v, sizeof(v)), NVS_OK);
    }
    while (nvs_kv_free(&kv) > 30)
        assert_int_equal(nvs_kv_put(&kv, "n0", 2, v, 10), NVS_OK);
}

/* ---- operations ---- */

static int op_put_new(void)
{
    return put_str("gamma", "a new key with a value");
}

static int op_replace(void)
{
    return put_str("alpha", "the replacement value");
}

static int op_delete(void)
{
    return nvs_kv_delete(&kv, "beta", 4);
}

static int op_add(void)
{
    return nvs_kv_add(&kv, "list", 4, "L2", 2);
}

static int op_delete_at(void)
{
    return nvs_kv_delete_at(&kv, "list", 4, 0);
}

static int op_batch(void)
{
    struct nvs_kv_op ops[] = {
        {.kind = NVS_KV_PUT, .key = "alpha", .klen = 5, .value = "batch-a", .vlen = 7},
        {.kind = NVS_KV_DELETE, .key = "beta", .klen = 4},
        {.kind = NVS_KV_ADD, .key = "list", .klen = 4, .value = "batch-l", .vlen = 7},
        {.kind = NVS_KV_PUT, .key = "new", .klen = 3, .value = "batch-n", .vlen = 7},
    };
    return nvs_kv_batch(&kv, ops, 4);
}

static int op_compact(void)
{
    return nvs_kv_compact(&kv);
}

static int op_wipe(void)
{
    return nvs_kv_wipe(&kv);
}

static int op_put_big(void)
{
    for (unsigned i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 7 + 1);
    return nvs_kv_put(&kv, "big", 3, big, sizeof(big));
}

static int op_put_full(void)
{
    uint8_t v[50];
    memset(v, 0x77, sizeof(v));
    return nvs_kv_put(&kv, "n1", 2, v, sizeof(v));
}

static int op_batch_full(void)
{
    struct nvs_kv_op ops[] = {
        {.kind = NVS_KV_PUT, .key = "n2", .klen = 2, .value = "changed", .vlen = 7},
        {.kind = NVS_KV_DELETE, .key = "n3", .klen = 2},
        {.kind = NVS_KV_PUT, .key = "x", .klen = 1, .value = "extra", .vlen = 5},
    };
    return nvs_kv_batch(&kv, ops, 3);
}

/* ---- the cut loop ---- */

struct tally {
    unsigned cuts, old, new;
};

static void run_scenario(const char *name, void (*start)(void), op_fn *op, struct tally *t)
{
    uint64_t written;
    unsigned old = 0, new = 0;

    nvs_fake_reset(REGION);
    nvs_fake_guard(AREA_OFF, AREA_OFF + AREA);
    assert_int_equal(open_store(), NVS_OK);
    start();
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(km_load(&before, &kv), NVS_OK);
    memcpy(image, nvs_fake.mem, REGION);
    /* Whole, to learn the bytes written and the state after. */
    written = nvs_fake.bytes_written;
    assert_int_equal(op(), NVS_OK);
    written = nvs_fake.bytes_written - written;
    /* The state the call left, which the chip must show when reopened: the
     * log's replay gives what the call did in RAM, no more, no less. */
    assert_int_equal(km_load(&after, &kv), NVS_OK);
    assert_int_equal(open_store(), NVS_OK);
    if (km_compare(&after, &kv) != 0)
        fail_msg("%s: reopened, the store differs from what the call left", name);
    assert_true(written > 0);

    for (uint64_t cut = 0; cut < written; cut++) {
        struct km *seen;
        memcpy(nvs_fake.mem, image, REGION);
        assert_int_equal(open_store(), NVS_OK);
        nvs_fake_cut_after(cut);
        assert_int_not_equal(op(), NVS_OK);
        nvs_fake_power_on();
        int err = open_store();
        if (err != NVS_OK || kv.damaged != 0)
            fail_msg("%s: cut after %llu of %llu bytes: open gave %d, %u damaged", name,
                     (unsigned long long)cut, (unsigned long long)written, err, kv.damaged);
        if (km_compare(&before, &kv) == 0) {
            seen = &before;
            old++;
        } else if (km_compare(&after, &kv) == 0) {
            seen = &after;
            new ++;
        } else {
            fail_msg("%s: cut after %llu of %llu bytes: neither the old nor the new state", name,
                     (unsigned long long)cut, (unsigned long long)written);
            return;
        }
        /* The recovered store takes a further change, and keeps it. */
        struct nvs_kv_op more = {
            .kind = NVS_KV_PUT, .key = "post", .klen = 4, .value = "cut", .vlen = 3};
        scratch = *seen;
        int perr = nvs_kv_batch(&kv, &more, 1);
        if (perr != NVS_ERR_NO_SPACE) {
            assert_int_equal(perr, NVS_OK);
            assert_true(km_apply(&scratch, &more, 1));
        }
        assert_int_equal(open_store(), NVS_OK);
        if (km_compare(&scratch, &kv) != 0)
            fail_msg("%s: cut after %llu: a change after recovery was not kept", name,
                     (unsigned long long)cut);
    }
    printf("%-22s %5llu bytes written, every cut: %u old, %u new\n", name,
           (unsigned long long)written, old, new);
    /* A cut before the commit shows the old state, one after it the new. */
    assert_true(old > 0);
    t->cuts += (unsigned)written;
    t->old += old;
    t->new += new;
}

static const struct scenario {
    const char *name;
    void (*start)(void);
    op_fn *op;
} scenarios[] = {
    {"first put (format)", fresh, op_put_new},
    {"put new key", some_keys, op_put_new},
    {"replace", some_keys, op_replace},
    {"delete", some_keys, op_delete},
    {"add value", some_keys, op_add},
    {"delete value at", some_keys, op_delete_at},
    {"batch of 4", some_keys, op_batch},
    {"compaction", some_keys, op_compact},
    {"wipe", some_keys, op_wipe},
    {"put of 300 bytes", some_keys, op_put_big},
    {"put, full: compacts", nearly_full, op_put_full},
    {"batch, full: compacts", nearly_full, op_batch_full},
    {"batch of 4, full", nearly_full, op_batch},
};

static void cuts_at_every_byte_of_every_operation(void **state)
{
    (void)state;
    struct tally t = {0};
    for (unsigned i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
        run_scenario(scenarios[i].name, scenarios[i].start, scenarios[i].op, &t);
    printf("power cuts: %u, old state %u, new state %u\n", t.cuts, t.old, t.new);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cuts_at_every_byte_of_every_operation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
