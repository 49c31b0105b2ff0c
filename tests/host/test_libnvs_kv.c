/* libnvstorage key-value store over the RAM-backed fake region: every
 * operation and error, limits at and one past, compaction, hash
 * collisions, damage detection, I/O errors. The store sits in the middle of
 * the region with the fake's guard on: any access outside it aborts. */
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
#include "libnvstorage/nvs_kv_format.h"
#include "libnvstorage/nvs_kv_frame.h"
#include "tests/host/support/kv_model.h"

#define REGION   4096u
#define AREA_OFF 100u
#define AREA     1024u
#define BANK     (AREA / 2u)
#define CAP      32u

static struct nvs_kv kv;
static struct nvs_kv_slot slots[CAP];
static uint8_t out[NVS_KV_VALUE_MAX + 8];

static int setup(void **state)
{
    (void)state;
    nvs_fake_reset(REGION);
    nvs_fake_guard(AREA_OFF, AREA_OFF + AREA);
    return 0;
}

static int open_store(void)
{
    return nvs_kv_open(&kv, AREA_OFF, AREA, slots, CAP);
}

static int put_str(const char *key, const char *val)
{
    return nvs_kv_put(&kv, key, strlen(key), val, strlen(val));
}

/* The value of key at index as a string ("" if absent). */
static const char *get_str(const char *key, unsigned index)
{
    size_t len = 0;
    int err = nvs_kv_get(&kv, key, strlen(key), index, out, sizeof(out) - 1, &len);
    out[err == NVS_OK ? len : 0] = 0;
    return (const char *)out;
}

static void fresh_area_opens_empty_and_writes_nothing(void **state)
{
    (void)state;
    unsigned cursor = 0, count = 9;
    size_t len;
    memset(nvs_fake.mem, 0xEE, REGION); /* not a store: junk */
    assert_int_equal(open_store(), NVS_OK);
    assert_false(kv.formatted);
    assert_int_equal(nvs_kv_get(&kv, "a", 1, 0, out, 8, &len), NVS_ERR_NOT_FOUND);
    assert_int_equal(nvs_kv_count(&kv, "a", 1, &count), NVS_OK);
    assert_int_equal(count, 0);
    assert_int_equal(nvs_kv_next(&kv, &cursor, out, 8, &len), NVS_ERR_NOT_FOUND);
    assert_int_equal(nvs_kv_delete(&kv, "a", 1), NVS_ERR_NOT_FOUND);
    assert_int_equal(nvs_fake.bytes_written, 0);
    /* The first change formats: the bank's log part is cleared, since junk
     * (or an earlier store's frames) must never pass for frames. */
    assert_int_equal(put_str("a", "b"), NVS_OK);
    assert_int_equal(nvs_fake.bytes_written, BANK + NVS_KV_ENTRY_BYTES(1, 1));
    assert_int_equal(open_store(), NVS_OK);
    assert_string_equal(get_str("a", 0), "b");
}

static void put_get_replace_and_reopen(void **state)
{
    (void)state;
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(put_str("name", "alice"), NVS_OK);
    assert_true(kv.formatted);
    assert_string_equal(get_str("name", 0), "alice");
    assert_int_equal(put_str("name", "bob"), NVS_OK);
    assert_string_equal(get_str("name", 0), "bob");
    assert_int_equal(put_str("city", "paris"), NVS_OK);
    assert_int_equal(open_store(), NVS_OK);
    assert_string_equal(get_str("name", 0), "bob");
    assert_string_equal(get_str("city", 0), "paris");
    assert_int_equal(kv.n, 2);
}

static void get_copies_at_most_cap_and_tells_the_length(void **state)
{
    (void)state;
    size_t len = 0;
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(put_str("k", "0123456789"), NVS_OK);
    memset(out, 'x', sizeof(out));
    assert_int_equal(nvs_kv_get(&kv, "k", 1, 0, out, 4, &len), NVS_OK);
    assert_int_equal(len, 10);
    assert_memory_equal(out, "0123x", 5);
    assert_int_equal(nvs_kv_get(&kv, "k", 1, 0, NULL, 0, &len), NVS_OK);
    assert_int_equal(len, 10);
    assert_int_equal(nvs_kv_get(&kv, "k", 1, 0, NULL, 1, &len), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_get(&kv, "k", 1, 0, out, 4, NULL), NVS_ERR_ARG);
}

static void empty_value_is_a_value(void **state)
{
    (void)state;
    size_t len = 99;
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(nvs_kv_put(&kv, "e", 1, NULL, 0), NVS_OK);
    assert_int_equal(nvs_kv_get(&kv, "e", 1, 0, out, sizeof(out), &len), NVS_OK);
    assert_int_equal(len, 0);
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(nvs_kv_get(&kv, "e", 1, 0, NULL, 0, &len), NVS_OK);
}

static void values_under_one_key_add_get_delete_at(void **state)
{
    (void)state;
    unsigned count = 0;
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(nvs_kv_add(&kv, "c", 1, "v0", 2), NVS_OK); /* add to absent: a new key */
    assert_int_equal(nvs_kv_add(&kv, "c", 1, "v1", 2), NVS_OK);
    assert_int_equal(nvs_kv_add(&kv, "c", 1, "v2", 2), NVS_OK);
    assert_int_equal(nvs_kv_count(&kv, "c", 1, &count), NVS_OK);
    assert_int_equal(count, 3);
    assert_string_equal(get_str("c", 2), "v2");
    assert_int_equal(nvs_kv_get(&kv, "c", 1, 3, out, 8, &(size_t){0}), NVS_ERR_NOT_FOUND);
    assert_int_equal(nvs_kv_delete_at(&kv, "c", 1, 3), NVS_ERR_NOT_FOUND); /* one past */
    assert_int_equal(nvs_kv_delete_at(&kv, "c", 1, 0), NVS_OK);
    assert_string_equal(get_str("c", 0), "v1"); /* later values move down */
    assert_string_equal(get_str("c", 1), "v2");
    assert_int_equal(open_store(), NVS_OK);
    assert_string_equal(get_str("c", 0), "v1");
    assert_int_equal(nvs_kv_put(&kv, "c", 1, "p", 1), NVS_OK); /* put replaces the list */
    assert_int_equal(nvs_kv_count(&kv, "c", 1, &count), NVS_OK);
    assert_int_equal(count, 1);
    assert_int_equal(nvs_kv_add(&kv, "c", 1, "q", 1), NVS_OK);
    assert_int_equal(nvs_kv_delete(&kv, "c", 1), NVS_OK);
    assert_int_equal(nvs_kv_count(&kv, "c", 1, &count), NVS_OK);
    assert_int_equal(count, 0);
    assert_int_equal(nvs_kv_delete(&kv, "c", 1), NVS_ERR_NOT_FOUND);
    assert_int_equal(nvs_kv_delete_at(&kv, "c", 1, 0), NVS_ERR_NOT_FOUND);
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(kv.n, 0);
}

/* Deleting a key's first value hands the lead to its second: the key before
 * it in the index keeps its own count, and iteration still finds both. */
static void deleting_a_first_value_keeps_the_key_before_apart(void **state)
{
    (void)state;
    const char *before = "a", *key = "b";
    unsigned count, cursor, keys;
    size_t len;
    if (nvs_kv_hash(before, 1) > nvs_kv_hash(key, 1)) {
        before = "b";
        key = "a";
    }
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(put_str(before, "B"), NVS_OK);
    assert_int_equal(nvs_kv_add(&kv, key, 1, "v0", 2), NVS_OK);
    assert_int_equal(nvs_kv_add(&kv, key, 1, "v1", 2), NVS_OK);
    assert_int_equal(nvs_kv_add(&kv, key, 1, "v2", 2), NVS_OK);
    assert_int_equal(nvs_kv_delete_at(&kv, key, 1, 0), NVS_OK);
    for (int pass = 0; pass < 2; pass++) { /* as left by the call, then reopened */
        assert_int_equal(nvs_kv_count(&kv, before, 1, &count), NVS_OK);
        assert_int_equal(count, 1);
        assert_int_equal(nvs_kv_count(&kv, key, 1, &count), NVS_OK);
        assert_int_equal(count, 2);
        assert_string_equal(get_str(key, 0), "v1");
        for (keys = 0, cursor = 0; nvs_kv_next(&kv, &cursor, out, 8, &len) == NVS_OK;)
            keys++;
        assert_int_equal(keys, 2);
        assert_int_equal(open_store(), NVS_OK);
    }
}

static void deleting_the_last_value_removes_the_key(void **state)
{
    (void)state;
    unsigned cursor = 0;
    size_t len;
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(nvs_kv_add(&kv, "d", 1, "x", 1), NVS_OK);
    assert_int_equal(nvs_kv_delete_at(&kv, "d", 1, 0), NVS_OK);
    assert_int_equal(nvs_kv_next(&kv, &cursor, out, 8, &len), NVS_ERR_NOT_FOUND);
}

static void argument_errors(void **state)
{
    (void)state;
    unsigned c;
    size_t len;
    struct nvs_kv_op op = {.kind = NVS_KV_PUT, .key = "k", .klen = 1, .value = "v", .vlen = 1};
    assert_int_equal(nvs_kv_open(NULL, AREA_OFF, AREA, slots, CAP), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_open(&kv, AREA_OFF, AREA, NULL, CAP), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_open(&kv, AREA_OFF, AREA, slots, 0), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_open(&kv, UINT64_MAX - 100, AREA, slots, CAP), NVS_ERR_ARG);
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(nvs_kv_put(NULL, "k", 1, "v", 1), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_put(&kv, NULL, 1, "v", 1), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_put(&kv, "k", 0, "v", 1), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_put(&kv, "k", 1, NULL, 1), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_get(&kv, NULL, 1, 0, out, 1, &len), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_count(&kv, "k", 1, NULL), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_count(NULL, "k", 1, &c), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_next(&kv, NULL, out, 1, &len), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_next(&kv, &c, NULL, 1, &len), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_batch(&kv, NULL, 1), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_batch(&kv, &op, 0), NVS_ERR_ARG);
    op.kind = (enum nvs_kv_kind)0;
    assert_int_equal(nvs_kv_batch(&kv, &op, 1), NVS_ERR_ARG);
    op.kind = (enum nvs_kv_kind)(NVS_KV_DELETE_AT + 1);
    assert_int_equal(nvs_kv_batch(&kv, &op, 1), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_wipe(NULL), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_compact(NULL), NVS_ERR_ARG);
    assert_int_equal(nvs_fake.bytes_written, 0);
}

static void area_size_limits(void **state)
{
    (void)state;
    assert_int_equal(nvs_kv_open(&kv, AREA_OFF, NVS_KV_AREA_MIN - 1, slots, CAP), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_open(&kv, AREA_OFF, NVS_KV_AREA_MIN, slots, CAP), NVS_OK);
    /* The smallest store holds one 1-byte key with an empty value. */
    assert_int_equal(nvs_kv_put(&kv, "a", 1, NULL, 0), NVS_OK);
    assert_int_equal(nvs_kv_put(&kv, "a", 1, "x", 1), NVS_ERR_NO_SPACE);
    assert_int_equal(nvs_kv_open(&kv, AREA_OFF, NVS_KV_AREA_MAX + 1, slots, CAP), NVS_ERR_ARG);
    /* AREA_MAX passes the argument check; the fake region is smaller. */
    nvs_fake_reset(REGION);
    assert_int_equal(nvs_kv_open(&kv, 0, NVS_KV_AREA_MAX, slots, CAP), NVS_ERR_INVAL);
}

static void key_length_limit(void **state)
{
    (void)state;
    uint8_t key[NVS_KV_KEY_MAX + 1];
    size_t len;
    memset(key, 'k', sizeof(key));
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(nvs_kv_put(&kv, key, NVS_KV_KEY_MAX, "v", 1), NVS_OK);
    assert_int_equal(nvs_kv_put(&kv, key, NVS_KV_KEY_MAX + 1, "v", 1), NVS_ERR_KEY_TOO_LONG);
    assert_int_equal(nvs_kv_get(&kv, key, NVS_KV_KEY_MAX + 1, 0, out, 1, &len),
                     NVS_ERR_KEY_TOO_LONG);
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(nvs_kv_get(&kv, key, NVS_KV_KEY_MAX, 0, out, 1, &len), NVS_OK);
    assert_int_equal(len, 1);
}

static void value_length_limit(void **state)
{
    (void)state;
    static uint8_t val[NVS_KV_VALUE_MAX + 1];
    size_t len;
    for (unsigned i = 0; i < sizeof(val); i++)
        val[i] = (uint8_t)(i * 13);
    nvs_fake_reset(REGION);
    assert_int_equal(nvs_kv_open(&kv, 0, REGION, slots, CAP), NVS_OK);
    assert_int_equal(nvs_kv_put(&kv, "v", 1, val, NVS_KV_VALUE_MAX), NVS_OK);
    assert_int_equal(nvs_kv_put(&kv, "v", 1, val, NVS_KV_VALUE_MAX + 1), NVS_ERR_VALUE_TOO_LONG);
    assert_int_equal(nvs_kv_add(&kv, "v", 1, val, NVS_KV_VALUE_MAX + 1), NVS_ERR_VALUE_TOO_LONG);
    assert_int_equal(nvs_kv_open(&kv, 0, REGION, slots, CAP), NVS_OK);
    assert_int_equal(nvs_kv_get(&kv, "v", 1, 0, out, sizeof(out), &len), NVS_OK);
    assert_int_equal(len, NVS_KV_VALUE_MAX);
    assert_memory_equal(out, val, NVS_KV_VALUE_MAX);
    /* And through a compaction (copied in chunks). */
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK);
    assert_int_equal(nvs_kv_open(&kv, 0, REGION, slots, CAP), NVS_OK);
    assert_int_equal(nvs_kv_get(&kv, "v", 1, 0, out, sizeof(out), &len), NVS_OK);
    assert_memory_equal(out, val, NVS_KV_VALUE_MAX);
}

static void index_full_at_cap_not_before(void **state)
{
    (void)state;
    struct nvs_kv_slot few[3];
    assert_int_equal(nvs_kv_open(&kv, AREA_OFF, AREA, few, 3), NVS_OK);
    assert_int_equal(put_str("a", "1"), NVS_OK);
    assert_int_equal(put_str("b", "2"), NVS_OK);
    assert_int_equal(put_str("c", "3"), NVS_OK); /* exactly cap */
    assert_int_equal(put_str("d", "4"), NVS_ERR_NO_SPACE);
    assert_int_equal(nvs_kv_add(&kv, "a", 1, "x", 1), NVS_ERR_NO_SPACE);
    assert_int_equal(put_str("a", "replaced"), NVS_OK); /* no new slot needed */
    assert_int_equal(nvs_kv_delete(&kv, "b", 1), NVS_OK);
    assert_int_equal(put_str("d", "4"), NVS_OK);
    /* A store holding more values than the index can take does not open. */
    assert_int_equal(nvs_kv_open(&kv, AREA_OFF, AREA, few, 2), NVS_ERR_NO_SPACE);
    assert_int_equal(nvs_kv_open(&kv, AREA_OFF, AREA, few, 3), NVS_OK);
    assert_string_equal(get_str("a", 0), "replaced");
}

static void a_batch_that_overflows_the_index_changes_nothing(void **state)
{
    (void)state;
    struct nvs_kv_slot few[2];
    struct nvs_kv_op ops[] = {
        {.kind = NVS_KV_PUT, .key = "x", .klen = 1, .value = "1", .vlen = 1},
        {.kind = NVS_KV_PUT, .key = "y", .klen = 1, .value = "2", .vlen = 1},
        {.kind = NVS_KV_PUT, .key = "z", .klen = 1, .value = "3", .vlen = 1},
    };
    assert_int_equal(nvs_kv_open(&kv, AREA_OFF, AREA, few, 2), NVS_OK);
    assert_int_equal(nvs_kv_batch(&kv, ops, 3), NVS_ERR_NO_SPACE);
    assert_int_equal(kv.n, 0);
    assert_int_equal(nvs_kv_open(&kv, AREA_OFF, AREA, few, 2), NVS_OK);
    assert_int_equal(kv.n, 0);
    ops[2].kind = NVS_KV_DELETE; /* x, y, then delete z: fits */
    assert_int_equal(nvs_kv_batch(&kv, ops, 3), NVS_OK);
    assert_int_equal(kv.n, 2);
}

static void fills_compacts_and_reports_no_space_at_the_limit(void **state)
{
    (void)state;
    uint8_t val[100];
    char key[16];
    uint32_t room = BANK - NVS_KV_BANK_HDR;
    unsigned i;
    memset(val, 0x5A, sizeof(val));
    assert_int_equal(open_store(), NVS_OK);
    /* Replacing one key many times fills the bank: compaction keeps going. */
    for (i = 0; i < 40; i++) {
        val[0] = (uint8_t)i;
        assert_int_equal(nvs_kv_put(&kv, "r", 1, val, sizeof(val)), NVS_OK);
    }
    assert_int_not_equal(kv.epoch, 1); /* compacted at least once */
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(nvs_kv_get(&kv, "r", 1, 0, out, sizeof(out), &(size_t){0}), NVS_OK);
    assert_int_equal(out[0], 39);
    assert_int_equal(nvs_kv_delete(&kv, "r", 1), NVS_OK);
    /* Distinct keys until the live data fill the bank exactly. */
    for (i = 0; nvs_kv_free_after_compaction(&kv) >= NVS_KV_ENTRY_BYTES(2, 100); i++) {
        snprintf(key, sizeof(key), "%02u", i);
        assert_int_equal(nvs_kv_put(&kv, key, 2, val, 100), NVS_OK);
    }
    uint32_t left = nvs_kv_free_after_compaction(&kv);
    assert_true(left >= NVS_KV_ENTRY_BYTES(2, 0));
    /* A value that leaves exactly 0 bytes fits; one byte more does not. */
    uint32_t fit = left - NVS_KV_ENTRY_BYTES(2, 0);
    assert_int_equal(nvs_kv_put(&kv, "zz", 2, val, fit + 1), NVS_ERR_NO_SPACE);
    assert_int_equal(nvs_kv_put(&kv, "zz", 2, val, fit), NVS_OK);
    assert_int_equal(kv.live, room);
    assert_int_equal(nvs_kv_free_after_compaction(&kv), 0);
    assert_int_equal(nvs_kv_put(&kv, "00", 2, val, 101), NVS_ERR_NO_SPACE);
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(kv.live, room);
    /* Deleting makes room again (the delete frame itself needs some). */
    assert_int_equal(nvs_kv_wipe(&kv), NVS_OK);
    assert_int_equal(kv.n, 0);
    assert_int_equal(put_str("after", "wipe"), NVS_OK);
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(kv.n, 1);
    assert_string_equal(get_str("after", 0), "wipe");
}

static void batch_applies_all_and_tolerates_missing_deletes(void **state)
{
    (void)state;
    struct nvs_kv_op ops[] = {
        {.kind = NVS_KV_PUT, .key = "a", .klen = 1, .value = "A", .vlen = 1},
        {.kind = NVS_KV_ADD, .key = "a", .klen = 1, .value = "B", .vlen = 1},
        {.kind = NVS_KV_DELETE, .key = "none", .klen = 4},
        {.kind = NVS_KV_DELETE_AT, .key = "a", .klen = 1, .index = 7},
        {.kind = NVS_KV_PUT, .key = "b", .klen = 1, .value = "C", .vlen = 1},
        {.kind = NVS_KV_PUT, .key = "c", .klen = 1, .value = "D", .vlen = 1},
        /* One past a's last value: touches nothing, whichever key follows. */
        {.kind = NVS_KV_DELETE_AT, .key = "a", .klen = 1, .index = 2},
        {.kind = NVS_KV_DELETE_AT, .key = "a", .klen = 1, .index = 0},
    };
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(nvs_kv_batch(&kv, ops, 8), NVS_OK);
    for (int pass = 0; pass < 2; pass++) {
        assert_string_equal(get_str("a", 0), "B");
        assert_string_equal(get_str("a", 1), "");
        assert_string_equal(get_str("b", 0), "C");
        assert_string_equal(get_str("c", 0), "D");
        assert_int_equal(kv.n, 3);
        assert_int_equal(open_store(), NVS_OK);
    }
    ops[3].index = UINT32_MAX; /* clamped: no key has that many values */
    assert_int_equal(nvs_kv_batch(&kv, &ops[3], 1), NVS_OK);
    assert_int_equal(kv.n, 3);
}

static void iteration_is_stable_and_complete(void **state)
{
    (void)state;
    char first[15][8], again[15][8];
    unsigned cursor = 0, n = 0;
    size_t len;
    assert_int_equal(open_store(), NVS_OK);
    for (unsigned i = 0; i < 15; i++) {
        char key[16];
        snprintf(key, sizeof(key), "key%u", i);
        assert_int_equal(nvs_kv_add(&kv, key, strlen(key), "v", 1), NVS_OK);
        assert_int_equal(nvs_kv_add(&kv, key, strlen(key), "w", 1), NVS_OK);
    }
    memset(first, 0, sizeof(first));
    while (nvs_kv_next(&kv, &cursor, first[n], 7, &len) == NVS_OK)
        n++;
    assert_int_equal(n, 15);
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK);
    assert_int_equal(open_store(), NVS_OK);
    memset(again, 0, sizeof(again));
    cursor = n = 0;
    while (nvs_kv_next(&kv, &cursor, again, 0, &len) == NVS_OK) /* lengths only */
        n++;
    assert_int_equal(n, 15);
    cursor = n = 0;
    while (nvs_kv_next(&kv, &cursor, again[n], 7, &len) == NVS_OK)
        n++;
    assert_memory_equal(first, again, sizeof(first));
    for (unsigned i = 0; i < 15; i++)
        for (unsigned j = i + 1; j < 15; j++)
            assert_string_not_equal(first[i], first[j]);
}

/* Two 2-byte keys with the same 16-bit hash. */
static void colliding_keys(uint8_t a[2], uint8_t b[2])
{
    static uint16_t seen[65536];
    static uint16_t who[65536];
    memset(seen, 0, sizeof(seen));
    for (unsigned k = 1; k < 65536; k++) {
        uint8_t key[2] = {(uint8_t)k, (uint8_t)(k >> 8)};
        uint16_t h = nvs_kv_hash(key, 2);
        if (seen[h]) {
            a[0] = (uint8_t)who[h];
            a[1] = (uint8_t)(who[h] >> 8);
            memcpy(b, key, 2);
            return;
        }
        seen[h] = 1;
        who[h] = (uint16_t)k;
    }
    fail();
}

static void keys_with_the_same_hash_stay_apart(void **state)
{
    (void)state;
    uint8_t a[2], b[2];
    size_t len;
    unsigned count;
    colliding_keys(a, b);
    assert_int_equal(nvs_kv_hash(a, 2), nvs_kv_hash(b, 2));
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(nvs_kv_put(&kv, a, 2, "AA", 2), NVS_OK);
    assert_int_equal(nvs_kv_get(&kv, b, 2, 0, out, 8, &len), NVS_ERR_NOT_FOUND);
    assert_int_equal(nvs_kv_add(&kv, b, 2, "B0", 2), NVS_OK);
    assert_int_equal(nvs_kv_add(&kv, b, 2, "B1", 2), NVS_OK);
    assert_int_equal(nvs_kv_put(&kv, a, 2, "A2", 2), NVS_OK);
    /* a's run holds one value, b's two: index 1 exists only for b. */
    assert_int_equal(nvs_kv_get(&kv, a, 2, 1, out, 8, &len), NVS_ERR_NOT_FOUND);
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(nvs_kv_get(&kv, a, 2, 0, out, 8, &len), NVS_OK);
        assert_memory_equal(out, "A2", 2);
        assert_int_equal(nvs_kv_get(&kv, b, 2, 1, out, 8, &len), NVS_OK);
        assert_memory_equal(out, "B1", 2);
        assert_int_equal(nvs_kv_count(&kv, b, 2, &count), NVS_OK);
        assert_int_equal(count, 2);
        assert_int_equal(open_store(), NVS_OK);
    }
    assert_int_equal(nvs_kv_delete(&kv, a, 2), NVS_OK);
    assert_int_equal(nvs_kv_get(&kv, b, 2, 0, out, 8, &len), NVS_OK);
    assert_memory_equal(out, "B0", 2);
    assert_int_equal(nvs_kv_count(&kv, a, 2, &count), NVS_OK);
    assert_int_equal(count, 0);
}

/* A store with keys k0..k(n-1) (one frame each) and a last frame "end". */
static void build_store(unsigned n)
{
    assert_int_equal(open_store(), NVS_OK);
    for (unsigned i = 0; i < n; i++) {
        char key[16], val[24];
        snprintf(key, sizeof(key), "k%u", i);
        snprintf(val, sizeof(val), "value-%u", i);
        assert_int_equal(put_str(key, val), NVS_OK);
    }
    assert_int_equal(put_str("end", "last"), NVS_OK);
}

static void every_damaged_byte_is_reported_and_the_rest_stays_readable(void **state)
{
    (void)state;
    static uint8_t image[REGION];
    build_store(6);
    uint32_t log_start = AREA_OFF + kv.bank * BANK + NVS_KV_BANK_HDR;
    uint32_t last = AREA_OFF + kv.tail - NVS_KV_ENTRY_BYTES(3, 4); /* "end" frame */
    memcpy(image, nvs_fake.mem, REGION);
    for (uint32_t at = log_start; at < last; at++) {
        unsigned lost = 0;
        memcpy(nvs_fake.mem, image, REGION);
        nvs_fake.mem[at] ^= 0x01;
        assert_int_equal(open_store(), NVS_ERR_CORRUPT);
        assert_int_equal(kv.damaged, 1);
        for (unsigned i = 0; i < 6; i++) {
            char key[16], val[24];
            snprintf(key, sizeof(key), "k%u", i);
            snprintf(val, sizeof(val), "value-%u", i);
            if (strcmp(get_str(key, 0), val) != 0) {
                assert_string_equal(get_str(key, 0), ""); /* gone, not wrong */
                lost++;
            }
        }
        assert_int_equal(lost, 1); /* exactly the damaged frame's key */
        assert_string_equal(get_str("end", 0), "last");
        /* Still writable; compaction drops the damage for good. */
        assert_int_equal(put_str("new", "x"), NVS_OK);
        assert_int_equal(nvs_kv_compact(&kv), NVS_OK);
        assert_int_equal(open_store(), NVS_OK);
        assert_int_equal(kv.n, 7);
    }
}

static void one_damaged_header_copy_is_survived_and_repaired(void **state)
{
    (void)state;
    static uint8_t image[REGION];
    build_store(3);
    uint32_t hdr = AREA_OFF + kv.bank * BANK;
    memcpy(image, nvs_fake.mem, REGION);
    for (uint32_t at = hdr; at < hdr + NVS_KV_BANK_HDR; at++) {
        memcpy(nvs_fake.mem, image, REGION);
        nvs_fake.mem[at] ^= 0x80;
        assert_int_equal(open_store(), NVS_OK);
        assert_true(kv.fix_hdr);
        assert_string_equal(get_str("k2", 0), "value-2");
        assert_int_equal(put_str("k0", "again"), NVS_OK); /* rewrites the header */
        assert_false(kv.fix_hdr);
        assert_memory_equal(nvs_fake.mem + hdr, image + hdr, NVS_KV_BANK_HDR);
    }
}

static void both_header_copies_damaged_is_broken_until_wiped(void **state)
{
    (void)state;
    size_t len;
    build_store(3);
    uint32_t hdr = AREA_OFF + kv.bank * BANK;
    nvs_fake.mem[hdr] ^= 1;
    nvs_fake.mem[hdr + NVS_KV_HDR_COPY] ^= 1;
    /* The other bank is still blank: nothing valid, but our magic is seen. */
    assert_int_equal(open_store(), NVS_ERR_CORRUPT);
    assert_true(kv.broken);
    assert_int_equal(nvs_kv_get(&kv, "k0", 2, 0, out, 8, &len), NVS_ERR_NOT_FOUND);
    assert_int_equal(put_str("x", "y"), NVS_ERR_CORRUPT);
    assert_int_equal(nvs_kv_compact(&kv), NVS_ERR_CORRUPT);
    assert_int_equal(nvs_kv_wipe(&kv), NVS_OK);
    assert_int_equal(put_str("x", "y"), NVS_OK);
    assert_int_equal(open_store(), NVS_OK);
    assert_string_equal(get_str("x", 0), "y");
}

/* Both copies of the active header damaged: the older bank takes over and
 * the damage is reported; the next compaction into the damaged bank clears
 * it, so its frames (of an epoch the new one repeats) never come back. */
static void a_bank_with_damaged_headers_is_cleared_before_reuse(void **state)
{
    (void)state;
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(put_str("x", "1"), NVS_OK);   /* bank 0, epoch 1 */
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK); /* bank 1, epoch 2 */
    assert_int_equal(put_str("x", "2"), NVS_OK);
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK); /* bank 0, epoch 3 */
    assert_int_equal(put_str("y", "only in epoch 3"), NVS_OK);
    assert_int_equal(kv.bank, 0);
    nvs_fake.mem[AREA_OFF + 0] ^= 1;
    nvs_fake.mem[AREA_OFF + NVS_KV_HDR_COPY] ^= 1;
    assert_int_equal(open_store(), NVS_ERR_CORRUPT);
    assert_int_equal(kv.bank, 1);
    assert_string_equal(get_str("x", 0), "2");
    assert_string_equal(get_str("y", 0), "");
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK); /* into bank 0, epoch 3 again */
    assert_int_equal(open_store(), NVS_OK);
    assert_string_equal(get_str("y", 0), "");
    assert_int_equal(kv.n, 1);
}

static void damage_after_open_is_caught_by_get_and_dropped_by_compaction(void **state)
{
    (void)state;
    size_t len;
    build_store(3);
    /* k1's frame: find it through the index, flip a value byte. */
    unsigned i;
    for (i = 0; i < kv.n; i++)
        if (kv.slots[i].hash == nvs_kv_hash("k1", 2))
            break;
    assert_true(i < kv.n);
    nvs_fake.mem[AREA_OFF + kv.slots[i].off + NVS_KV_FRAME_HDR + 2 + 1] ^= 0x10;
    assert_int_equal(nvs_kv_get(&kv, "k1", 2, 0, out, 16, &len), NVS_ERR_CORRUPT);
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK);
    assert_int_equal(kv.damaged, 1);
    assert_int_equal(nvs_kv_get(&kv, "k1", 2, 0, out, 16, &len), NVS_ERR_NOT_FOUND);
    assert_int_equal(open_store(), NVS_OK);
    assert_string_equal(get_str("k2", 0), "value-2");
    assert_int_equal(kv.n, 3);
}

/* Both copies of a bank header written at area offset at. */
static void write_bank_header(uint32_t at, uint32_t epoch, uint8_t bank)
{
    struct nvs_kv_bank_hdr h = {.epoch = epoch, .bank_size = BANK, .bank = bank};
    nvs_kv_bank_encode(&h, nvs_fake.mem + AREA_OFF + at);
    nvs_kv_bank_encode(&h, nvs_fake.mem + AREA_OFF + at + NVS_KV_HDR_COPY);
}

/* Epochs compare in serial order: the epoch after 2^32 - 1 is 0, and the
 * bank a compaction wrote then is the one open picks. */
static void epochs_compare_across_the_wrap(void **state)
{
    (void)state;
    assert_true(nvs_kv_epoch_newer(0, UINT32_MAX));
    assert_false(nvs_kv_epoch_newer(UINT32_MAX, 0));
    assert_true(nvs_kv_epoch_newer(0x80000000u, 1));  /* 2^31 - 1 ahead: newer */
    assert_false(nvs_kv_epoch_newer(0x80000001u, 1)); /* 2^31 ahead: behind */
    assert_false(nvs_kv_epoch_newer(7, 7));
    write_bank_header(0, UINT32_MAX, 0);
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(kv.epoch, UINT32_MAX);
    assert_int_equal(put_str("k", "old"), NVS_OK);
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK);
    assert_int_equal(put_str("k", "new"), NVS_OK); /* only in bank 1 */
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(kv.bank, 1);
    assert_int_equal(kv.epoch, 0);
    assert_string_equal(get_str("k", 0), "new");
}

/* A compaction cut off after some of its frames landed in a bank whose
 * header was whole, at every byte; then keys are deleted and the next
 * compaction (same epoch, fewer bytes) runs: the deleted keys must stay
 * deleted (the first attempt's frames must not pass after the new log). */
static void a_compaction_cut_short_never_brings_deleted_keys_back(void **state)
{
    (void)state;
    static uint8_t image[REGION];
    static const char *const gone[] = {"a", "b", "c"};
    uint64_t written;

    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(put_str("x", "1"), NVS_OK);
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK);
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK); /* bank 0; bank 1 whole, older */
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(put_str(gone[i], "value"), NVS_OK);
    memcpy(image, nvs_fake.mem, REGION);
    written = nvs_fake.bytes_written;
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK);
    written = nvs_fake.bytes_written - written;
    for (uint64_t cut = 0; cut < written; cut++) {
        memcpy(nvs_fake.mem, image, REGION);
        assert_int_equal(open_store(), NVS_OK);
        nvs_fake_cut_after(cut);
        assert_int_not_equal(nvs_kv_compact(&kv), NVS_OK);
        nvs_fake_power_on();
        assert_int_equal(open_store(), NVS_OK); /* either bank: the header may have landed */
        for (unsigned i = 0; i < 3; i++)
            assert_int_equal(nvs_kv_delete(&kv, gone[i], 1), NVS_OK);
        assert_int_equal(nvs_kv_compact(&kv), NVS_OK);
        assert_int_equal(open_store(), NVS_OK);
        if (kv.n != 1)
            fail_msg("cut after %llu of %llu bytes: %u values after reopening, not 1",
                     (unsigned long long)cut, (unsigned long long)written, kv.n);
        assert_string_equal(get_str("x", 0), "1");
    }
}

/* Both banks with whole headers of one epoch (only damage does that): the
 * other bank may hold frames of the next epoch, so the next compaction into
 * it must clear it. */
static void a_bank_sharing_the_active_epoch_is_cleared_before_reuse(void **state)
{
    (void)state;
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(put_str("a", "A"), NVS_OK); /* bank 0, epoch 1 */
    assert_int_equal(put_str("b", "B"), NVS_OK);
    assert_int_equal(put_str("c", "C"), NVS_OK);
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK); /* bank 1, epoch 2: a, b, c */
    write_bank_header(BANK, 1, 1);                 /* damage: bank 1 says epoch 1 */
    assert_int_equal(open_store(), NVS_ERR_CORRUPT);
    assert_int_equal(kv.bank, 0);
    assert_int_equal(nvs_kv_delete(&kv, "a", 1), NVS_OK);
    assert_int_equal(nvs_kv_delete(&kv, "b", 1), NVS_OK);
    assert_int_equal(nvs_kv_compact(&kv), NVS_OK); /* into bank 1, epoch 2 again */
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(kv.n, 1);
    assert_string_equal(get_str("c", 0), "C");
}

/* A batch with one damaged frame, whichever, is dropped whole and reported;
 * the store stays open and the rest readable. */
static void a_batch_with_a_damaged_frame_is_dropped_whole(void **state)
{
    (void)state;
    static uint8_t image[REGION];
    struct nvs_kv_op ops[] = {
        {.kind = NVS_KV_PUT, .key = "p", .klen = 1, .value = "P1", .vlen = 2},
        {.kind = NVS_KV_PUT, .key = "q", .klen = 1, .value = "Q1", .vlen = 2},
        {.kind = NVS_KV_PUT, .key = "r", .klen = 1, .value = "R1", .vlen = 2},
    };
    uint32_t frame = NVS_KV_ENTRY_BYTES(1, 2);
    build_store(2);
    uint32_t first = AREA_OFF + kv.tail;
    assert_int_equal(nvs_kv_batch(&kv, ops, 3), NVS_OK);
    assert_int_equal(put_str("end", "after"), NVS_OK);
    memcpy(image, nvs_fake.mem, REGION);
    for (uint32_t f = 0; f < 3; f++) {
        memcpy(nvs_fake.mem, image, REGION);
        nvs_fake.mem[first + f * frame + NVS_KV_FRAME_HDR + 1] ^= 0x04; /* its value */
        assert_int_equal(open_store(), NVS_ERR_CORRUPT);
        assert_true(kv.opened);
        assert_int_equal(kv.damaged, 1);
        assert_string_equal(get_str("p", 0), "");
        assert_string_equal(get_str("q", 0), "");
        assert_string_equal(get_str("r", 0), "");
        assert_string_equal(get_str("k1", 0), "value-1");
        assert_string_equal(get_str("end", 0), "after");
    }
}

/* A value holding the bytes of an earlier frame, cut off after those bytes
 * landed but before its own CRC: the copy inside must not pass for a frame
 * (a frame's CRC binds it to the offset it was written at), so open shows
 * the state before the put and reports no damage. */
static void a_frame_copied_into_a_value_is_not_taken_for_one(void **state)
{
    (void)state;
    uint8_t old_frame[NVS_KV_ENTRY_BYTES(1, 3)];
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(put_str("k", "old"), NVS_OK);
    memcpy(old_frame, nvs_fake.mem + AREA_OFF + kv.tail - sizeof(old_frame), sizeof(old_frame));
    assert_int_equal(put_str("k", "new"), NVS_OK);
    nvs_fake_cut_after(NVS_KV_FRAME_HDR + 1 + sizeof(old_frame));
    assert_int_not_equal(nvs_kv_put(&kv, "v", 1, old_frame, sizeof(old_frame)), NVS_OK);
    nvs_fake_power_on();
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(kv.damaged, 0);
    assert_string_equal(get_str("k", 0), "new");
    assert_string_equal(get_str("v", 0), "");
}

/* Compaction copies a frame through the 80-byte bounce buffer and never
 * splits its 4 CRC bytes over two calls: frames of every length around the
 * buffer's size survive it. */
static void compaction_copies_frames_of_every_length_around_the_bounce_buffer(void **state)
{
    (void)state;
    uint8_t v[NVS_KV_BOUNCE + 8];
    for (unsigned i = 0; i < sizeof(v); i++)
        v[i] = (uint8_t)(i * 13 + 5);
    for (uint32_t total = NVS_KV_BOUNCE - 4; total <= NVS_KV_BOUNCE + 8; total++) {
        uint32_t vlen = total - NVS_KV_ENTRY_BYTES(2, 0);
        size_t len = 0;
        nvs_fake_reset(REGION);
        nvs_fake_guard(AREA_OFF, AREA_OFF + AREA);
        assert_int_equal(open_store(), NVS_OK);
        assert_int_equal(nvs_kv_put(&kv, "kk", 2, v, vlen), NVS_OK);
        assert_int_equal(nvs_kv_compact(&kv), NVS_OK);
        assert_int_equal(kv.damaged, 0);
        assert_int_equal(open_store(), NVS_OK);
        assert_int_equal(nvs_kv_get(&kv, "kk", 2, 0, out, sizeof(out), &len), NVS_OK);
        assert_int_equal(len, vlen);
        assert_memory_equal(out, v, vlen);
    }
}

static void io_errors_leave_the_store_as_it_was(void **state)
{
    (void)state;
    build_store(2);
    nvs_fake_fail_next(NVS_FAKE_READ, NVS_ERR_FAIL);
    assert_int_equal(open_store(), NVS_ERR_FAIL);
    assert_int_equal(open_store(), NVS_OK);
    nvs_fake_fail_next(NVS_FAKE_WRITE, NVS_ERR_FAIL);
    assert_int_equal(put_str("k0", "changed"), NVS_ERR_FAIL);
    assert_string_equal(get_str("k0", 0), "value-0");
    nvs_fake_fail_next(NVS_FAKE_READ, NVS_ERR_NOACK);
    assert_int_equal(nvs_kv_get(&kv, "k1", 2, 0, out, 8, &(size_t){0}), NVS_ERR_NOACK);
    nvs_fake_fail_next(NVS_FAKE_WRITE, NVS_ERR_FAIL);
    assert_int_equal(nvs_kv_compact(&kv), NVS_ERR_FAIL);
    assert_string_equal(get_str("k1", 0), "value-1");
    nvs_fake_fail_next(NVS_FAKE_READ, NVS_ERR_FAIL);
    assert_int_equal(nvs_kv_compact(&kv), NVS_ERR_FAIL);
    assert_int_equal(open_store(), NVS_OK);
    /* An open that cannot read leaves the struct closed: nothing (a format
     * of a store it could not read!) is written through it. */
    uint64_t written = nvs_fake.bytes_written;
    nvs_fake_fail_next(NVS_FAKE_READ, NVS_ERR_NOACK);
    assert_int_equal(nvs_kv_open(&kv, AREA_OFF, AREA, slots, CAP), NVS_ERR_NOACK);
    assert_false(kv.opened);
    assert_int_equal(put_str("k0", "lost?"), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_wipe(&kv), NVS_ERR_ARG);
    assert_int_equal(nvs_kv_compact(&kv), NVS_ERR_ARG);
    assert_int_equal(nvs_fake.bytes_written, written);
    assert_int_equal(open_store(), NVS_OK);
    assert_int_equal(kv.n, 3);
    assert_string_equal(get_str("end", 0), "last");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(fresh_area_opens_empty_and_writes_nothing, setup),
        cmocka_unit_test_setup(put_get_replace_and_reopen, setup),
        cmocka_unit_test_setup(get_copies_at_most_cap_and_tells_the_length, setup),
        cmocka_unit_test_setup(empty_value_is_a_value, setup),
        cmocka_unit_test_setup(values_under_one_key_add_get_delete_at, setup),
        cmocka_unit_test_setup(deleting_a_first_value_keeps_the_key_before_apart, setup),
        cmocka_unit_test_setup(deleting_the_last_value_removes_the_key, setup),
        cmocka_unit_test_setup(argument_errors, setup),
        cmocka_unit_test_setup(area_size_limits, setup),
        cmocka_unit_test_setup(key_length_limit, setup),
        cmocka_unit_test_setup(value_length_limit, setup),
        cmocka_unit_test_setup(index_full_at_cap_not_before, setup),
        cmocka_unit_test_setup(a_batch_that_overflows_the_index_changes_nothing, setup),
        cmocka_unit_test_setup(fills_compacts_and_reports_no_space_at_the_limit, setup),
        cmocka_unit_test_setup(batch_applies_all_and_tolerates_missing_deletes, setup),
        cmocka_unit_test_setup(iteration_is_stable_and_complete, setup),
        cmocka_unit_test_setup(keys_with_the_same_hash_stay_apart, setup),
        cmocka_unit_test_setup(every_damaged_byte_is_reported_and_the_rest_stays_readable, setup),
        cmocka_unit_test_setup(one_damaged_header_copy_is_survived_and_repaired, setup),
        cmocka_unit_test_setup(both_header_copies_damaged_is_broken_until_wiped, setup),
        cmocka_unit_test_setup(a_bank_with_damaged_headers_is_cleared_before_reuse, setup),
        cmocka_unit_test_setup(damage_after_open_is_caught_by_get_and_dropped_by_compaction, setup),
        cmocka_unit_test_setup(epochs_compare_across_the_wrap, setup),
        cmocka_unit_test_setup(a_compaction_cut_short_never_brings_deleted_keys_back, setup),
        cmocka_unit_test_setup(a_bank_sharing_the_active_epoch_is_cleared_before_reuse, setup),
        cmocka_unit_test_setup(a_batch_with_a_damaged_frame_is_dropped_whole, setup),
        cmocka_unit_test_setup(a_frame_copied_into_a_value_is_not_taken_for_one, setup),
        cmocka_unit_test_setup(compaction_copies_frames_of_every_length_around_the_bounce_buffer,
                               setup),
        cmocka_unit_test_setup(io_errors_leave_the_store_as_it_was, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
