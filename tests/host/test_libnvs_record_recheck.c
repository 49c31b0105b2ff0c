/*
 * libnvstorage atomic records: a load re-checks the slot it picked when it
 * reads it back. The region here is a RAM array behind our own nvs_read,
 * which can change a slot after the load's scan and before its read-back
 * (another writer, a chip fault): the load must then fail (NVS_ERR_FAIL),
 * never hand out bytes that were not checked, nor a version the scan did
 * not pick. A change to the slot the scan did not pick is harmless.
 */
/* clang-format off */
/* HOST_TEST_SRCS: libnvstorage/nvs_error.c libnvstorage/nvs_crc32.c libnvstorage/nvs_slot.c libnvstorage/nvs_record.c */
/* clang-format on */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_record.h"

#define REGION   512u
#define REC_SIZE 40u
#define SLOT_LEN (NVS_SLOT_HDR_SIZE + REC_SIZE)
#define NO_HOOK  (-1)

static uint8_t mem[REGION];
static int reads;
static int hook_at = NO_HOOK;       /* before the read with this index */
static const uint8_t *hook_src;     /* copy these bytes ... */
static uint32_t hook_off, hook_len; /* ... over mem[hook_off..] */

int nvs_exists(void)
{
    return NVS_OK;
}

int nvs_size(uint64_t *size)
{
    *size = REGION;
    return NVS_OK;
}

int nvs_read(uint64_t offset, void *buf, size_t len)
{
    if (offset > REGION || len > REGION - offset)
        return NVS_ERR_INVAL;
    if (reads++ == hook_at)
        memcpy(mem + hook_off, hook_src, hook_len);
    memcpy(buf, mem + offset, len);
    return NVS_OK;
}

int nvs_write(uint64_t offset, const void *buf, size_t len)
{
    if (offset > REGION || len > REGION - offset)
        return NVS_ERR_INVAL;
    memcpy(mem + offset, buf, len);
    return NVS_OK;
}

static void payload(uint8_t *p, uint8_t gen)
{
    for (unsigned i = 0; i < REC_SIZE; i++)
        p[i] = (uint8_t)(gen * 31u + i);
}

/* Save generations 1..n from an empty region; the winner is slot (n-1)%2. */
static void save_gens(unsigned n)
{
    struct nvs_record r = NVS_RECORD_INIT(0, REC_SIZE);
    uint8_t p[REC_SIZE];

    memset(mem, 0, sizeof(mem));
    for (unsigned g = 1; g <= n; g++) {
        payload(p, (uint8_t)g);
        assert_int_equal(nvs_record_save(&r, p), NVS_OK);
    }
}

/* Reads a plain load makes, and how many of them are the scan's. */
static int load_reads(void)
{
    struct nvs_record r = NVS_RECORD_INIT(0, REC_SIZE);
    uint8_t p[REC_SIZE];

    reads = 0;
    hook_at = NO_HOOK;
    assert_int_equal(nvs_record_load(&r, p), NVS_OK);
    return reads;
}

/* Load with the hook armed at the read-back (the two reads after the
 * scan: header, then payload). */
static int load_with_change(uint8_t *out, int at_readback_read)
{
    struct nvs_record r = NVS_RECORD_INIT(0, REC_SIZE);
    int total = load_reads();

    reads = 0;
    hook_at = total - 2 + at_readback_read;
    return nvs_record_load(&r, out);
}

static void payload_damaged_after_the_scan_fails_the_load(void **state)
{
    static uint8_t flipped[1];
    uint8_t out[REC_SIZE];
    int which;

    (void)state;
    for (which = 0; which < 2; which++) { /* before the header, or the payload read */
        save_gens(2);                     /* winner: slot 1, generation 2 */
        flipped[0] = (uint8_t)(mem[SLOT_LEN + NVS_SLOT_HDR_SIZE + 5] ^ 0x40);
        hook_src = flipped;
        hook_off = SLOT_LEN + NVS_SLOT_HDR_SIZE + 5;
        hook_len = 1;
        assert_int_equal(load_with_change(out, which), NVS_ERR_FAIL);
    }
}

static void winner_replaced_by_another_valid_version_fails_the_load(void **state)
{
    static uint8_t newer[SLOT_LEN];
    uint8_t out[REC_SIZE];

    (void)state;
    save_gens(4); /* slot 1 holds generation 4 (a valid, newer slot) */
    memcpy(newer, mem + SLOT_LEN, SLOT_LEN);
    save_gens(2); /* slot 1 holds generation 2 */
    hook_src = newer;
    hook_off = SLOT_LEN;
    hook_len = SLOT_LEN;
    assert_int_equal(load_with_change(out, 0), NVS_ERR_FAIL);
}

static void change_to_the_other_slot_is_harmless(void **state)
{
    static uint8_t junk[SLOT_LEN];
    uint8_t out[REC_SIZE], want[REC_SIZE];

    (void)state;
    save_gens(2);
    memset(junk, 0x77, sizeof(junk));
    hook_src = junk;
    hook_off = 0; /* slot 0: the older version */
    hook_len = SLOT_LEN;
    assert_int_equal(load_with_change(out, 0), NVS_OK);
    payload(want, 2);
    assert_memory_equal(out, want, REC_SIZE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(payload_damaged_after_the_scan_fails_the_load),
        cmocka_unit_test(winner_replaced_by_another_valid_version_fails_the_load),
        cmocka_unit_test(change_to_the_other_slot_is_harmless),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
