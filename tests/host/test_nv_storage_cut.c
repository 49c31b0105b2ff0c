/*
 * Power cuts at every byte of the storage capsule's writes, from every kind
 * of starting chip: zeroed, erased (0xFF) and seeded random bytes (a chip
 * that held other data). Cases: the first boot (which writes the END
 * record of an empty table), a first allocation, a second allocation
 * after a first, an allocation whose region is the last that fits the area,
 * and an atomic record save (libnvstorage/nvs_record over the capsule).
 *
 * After each cut: reboot (a new capsule over the same bytes), then check
 *  - the table is never declared corrupt by a cut alone;
 *  - nothing outside the managed area changed;
 *  - every region live before the cut is still there with its data;
 *  - a region that becomes visible (the cut owner's, a new owner's) reads
 *    all zero, and the new owner can write it and read it back;
 *  - regions never overlap, and survive one more reboot with their data;
 *  - in the last-that-fits case, exactly one more region fits: the new
 *    owner is refused with NOMEM (no space leaked, none invented);
 *  - the record loads as the old or the new version, whole.
 * The checks use only the capsule's commands and the bytes outside the
 * area, so they hold for any on-FRAM format.
 */
// clang-format off
/* HOST_TEST_SRCS: capsules/nv_storage.c capsules/nv_region.c drivers/ram_fram.c hal/nvram.c kernel/deferred.c kernel/fmt.c kernel/log.c tests/host/support/log_text.c tests/host/support/fake_kernel.c tests/host/support/nvs_harness.c tests/host/support/nvs_capsule_lib.c libnvstorage/nvs_error.c libnvstorage/nvs_crc32.c libnvstorage/nvs_slot.c libnvstorage/nvs_record.c */
// clang-format on
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/nv_region.h"
#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_record.h"
#include "tests/host/support/nvs_capsule_lib.h"
#include "tests/host/support/nvs_harness.h"

#define AREA_START  1024u
#define AREA_LEN    8192u
#define REGION_SIZE 1024u
#define OWNER_A     0x11u /* live before the cut */
#define OWNER_B     0x22u /* allocating (or saving) when the power goes */
#define OWNER_N     0x33u /* a new owner after the reboot */
#define SLOT_A      0u
#define SLOT_B      1u
#define SLOT_N      2u
#define REC_SIZE    40u
#define RANDOM_SEED 0x5EEDu
#define MAX_OWNERS  3

enum start_state { START_ZERO, START_ERASED, START_RANDOM };
enum cut_case { CASE_BOOT, CASE_FIRST, CASE_SECOND, CASE_LAST_FIT, CASE_RECORD };

static const char *const state_name[] = {"zeroed", "erased", "random"};
static const char *const case_name[] = {"first boot", "first allocation", "second allocation",
                                        "last region that fits", "record save"};

static struct nvs_config cfg;
static uint8_t initial[NH_FRAM_SIZE]; /* the chip before anything ran */
static uint8_t pre_cut[NH_FRAM_SIZE]; /* the chip when the cut operation starts */

/* What the test knows must be on the chip: owner -> pattern seed. */
struct known {
    uint32_t owner;
    uint32_t seed; /* 0: all zero */
    uint32_t data, len;
};
static struct known known[MAX_OWNERS];
static unsigned num_known;

static uint32_t rng_state;

static uint32_t rng_next(void)
{
    /* xorshift32: reproducible "other data" for the random chip. */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void fill_start(enum start_state s)
{
    size_t i;

    if (s == START_ZERO) {
        memset(initial, 0x00, sizeof(initial));
    } else if (s == START_ERASED) {
        memset(initial, 0xFF, sizeof(initial));
    } else {
        rng_state = RANDOM_SEED;
        for (i = 0; i < sizeof(initial); i++)
            initial[i] = (uint8_t)rng_next();
    }
}

static void pattern(uint8_t *buf, uint32_t len, uint32_t seed)
{
    uint32_t i;

    for (i = 0; i < len; i++)
        buf[i] = seed == 0 ? 0 : (uint8_t)(seed * 13u + i * 7u + (i >> 8) + 1u);
}

static proc_id_t spawn(unsigned slot, uint32_t owner)
{
    struct storage_perms p = fk_perms_owner(owner);

    return fk_spawn(slot, &p);
}

static void reboot(void)
{
    fk_reset();
    nh_boot(&cfg, NH_FRAM_SIZE);
    /* The table is never declared corrupt by a cut alone. */
    assert_false(nh_cap.boot.corrupt);
    assert_false(nh_cap.boot.device_error);
}

static void check_outside_area(void)
{
    uint32_t end = cfg.area_start + cfg.area_len;

    assert_memory_equal(nh_mem, initial, cfg.area_start);
    assert_memory_equal(nh_mem + end, initial + end, NH_FRAM_SIZE - end);
}

/* Run one command to completion; returns the upcall status. */
static uint32_t call(proc_id_t pid, uint32_t cmd, uint32_t *len)
{
    struct fk_upcall up;
    uint32_t err;

    assert_true(nh_call(pid, cmd, 0, 0, &err, &up));
    if (len != NULL)
        *len = up.a1;
    return up.a0;
}

static void note_region(uint32_t owner, uint32_t seed)
{
    unsigned i;
    uint32_t data = nh_cap.reg_data, len = nh_cap.reg_len;

    assert_int_equal(len, REGION_SIZE);
    assert_true(data >= cfg.area_start && data + len <= cfg.area_start + cfg.area_len);
    for (i = 0; i < num_known; i++) {
        if (known[i].owner == owner) {
            assert_int_equal(known[i].data, data); /* found again, not moved */
            known[i].seed = seed;
            return;
        }
        assert_true(data + len <= known[i].data || known[i].data + known[i].len <= data);
    }
    assert_true(num_known < MAX_OWNERS);
    known[num_known++] = (struct known){owner, seed, data, len};
}

static void write_region(proc_id_t pid, uint32_t owner, uint32_t seed)
{
    static uint8_t out[REGION_SIZE];

    pattern(out, REGION_SIZE, seed);
    fk_allow_ro(pid, NVS_ALLOW_RO_WRITE, out, REGION_SIZE);
    assert_int_equal(call(pid, NVS_CMD_WRITE, NULL), TOCK_SUCCESS);
    note_region(owner, seed);
}

/* Read pid's whole region; assert it holds the pattern of seed. */
static void expect_region(proc_id_t pid, uint32_t owner, uint32_t seed)
{
    static uint8_t in[REGION_SIZE], want[REGION_SIZE];

    memset(in, 0xEE, sizeof(in));
    fk_allow_rw(pid, NVS_ALLOW_RW_READ, in, REGION_SIZE);
    assert_int_equal(call(pid, NVS_CMD_READ, NULL), TOCK_SUCCESS);
    pattern(want, REGION_SIZE, seed);
    assert_memory_equal(in, want, REGION_SIZE);
    note_region(owner, seed);
}

static void record_payload(uint8_t *p, uint8_t gen)
{
    unsigned i;

    for (i = 0; i < REC_SIZE; i++)
        p[i] = (uint8_t)(gen * 29u + i);
}

/* Everything before the cut operation, from the initial chip. */
static void prepare(enum cut_case c)
{
    proc_id_t a, b;
    struct nvs_record rec = NVS_RECORD_INIT(0, REC_SIZE);
    uint8_t payload[REC_SIZE];

    memcpy(nh_mem, initial, sizeof(nh_mem));
    num_known = 0;
    if (c == CASE_BOOT) {
        memcpy(pre_cut, nh_mem, sizeof(pre_cut));
        return;
    }
    reboot();
    if (c == CASE_SECOND || c == CASE_LAST_FIT) {
        a = spawn(SLOT_A, OWNER_A);
        write_region(a, OWNER_A, 1);
    }
    if (c == CASE_RECORD) {
        b = spawn(SLOT_B, OWNER_B);
        ncl_use(b);
        record_payload(payload, 1);
        assert_int_equal(nvs_record_save(&rec, payload), NVS_OK);
        note_region(OWNER_B, 0); /* not a pattern: checked as a record */
        known[num_known - 1].seed = UINT32_MAX;
    }
    memcpy(pre_cut, nh_mem, sizeof(pre_cut));
}

/* The operation the power cut hits. Returns true if it reported success. */
static bool cut_operation(enum cut_case c, long cut_at)
{
    proc_id_t b;
    struct nvs_record rec = NVS_RECORD_INIT(0, REC_SIZE);
    uint8_t payload[REC_SIZE];
    uint32_t len;

    memcpy(nh_mem, pre_cut, sizeof(nh_mem));
    if (c == CASE_BOOT) {
        /* The boot's own writes are cut; B's get-size follows on a
         * device that may be off (then it fails). */
        fk_reset();
        nh_boot_with_cut(&cfg, NH_FRAM_SIZE, cut_at);
        b = spawn(SLOT_B, OWNER_B);
        return call(b, NVS_CMD_GET_SIZE, &len) == TOCK_SUCCESS;
    }
    reboot();
    nh_dev.cut_at = cut_at;
    b = spawn(SLOT_B, OWNER_B);
    if (c == CASE_RECORD) {
        ncl_use(b);
        record_payload(payload, 2);
        return nvs_record_save(&rec, payload) == NVS_OK;
    }
    return call(b, NVS_CMD_GET_SIZE, &len) == TOCK_SUCCESS;
}

static void check_after_cut(enum cut_case c, bool op_ok)
{
    struct nvs_record rec = NVS_RECORD_INIT(0, REC_SIZE);
    uint8_t payload[REC_SIZE], want[REC_SIZE];
    proc_id_t a, b, n;
    uint32_t len, st;
    unsigned i;

    reboot();
    check_outside_area();
    /* Every region live before the cut is still there, data intact. */
    if (c == CASE_SECOND || c == CASE_LAST_FIT) {
        a = spawn(SLOT_A, OWNER_A);
        expect_region(a, OWNER_A, 1);
    }
    b = spawn(SLOT_B, OWNER_B);
    if (c == CASE_RECORD) {
        ncl_use(b);
        assert_int_equal(nvs_record_load(&rec, payload), NVS_OK);
        record_payload(want, 1);
        if (memcmp(payload, want, REC_SIZE) != 0) {
            record_payload(want, 2);
            assert_memory_equal(payload, want, REC_SIZE);
        } else {
            assert_false(op_ok); /* a save that said OK must be what loads */
        }
    } else {
        /* The cut owner's region, committed or allocated now, is zero. */
        expect_region(b, OWNER_B, 0);
        write_region(b, OWNER_B, 2);
    }
    /* A new owner allocates and uses its region (or, when the area is
     * full, is refused with exactly NOMEM). */
    n = spawn(SLOT_N, OWNER_N);
    st = call(n, NVS_CMD_GET_SIZE, &len);
    if (c == CASE_LAST_FIT) {
        assert_int_equal(st, TOCK_ENOMEM);
    } else {
        assert_int_equal(st, TOCK_SUCCESS);
        expect_region(n, OWNER_N, 0);
        write_region(n, OWNER_N, 3);
    }
    /* One more reboot: everything written is found again, no overlap. */
    reboot();
    check_outside_area();
    for (i = 0; i < num_known; i++) {
        proc_id_t p = spawn(i, known[i].owner);

        if (known[i].seed != UINT32_MAX)
            expect_region(p, known[i].owner, known[i].seed);
    }
}

#ifndef NVR_AREA_FOR
#define NVR_AREA_FOR(n, size) ((n) * (NVR_SLOT_SIZE + (size))) /* format 1 */
#endif

static void default_cfg_for(enum cut_case c)
{
    memset(&cfg, 0, sizeof(cfg));
    cfg.area_start = AREA_START;
    /* The last-fit case: room for exactly A's region and B's. */
    cfg.area_len = c == CASE_LAST_FIT ? NVR_AREA_FOR(2u, REGION_SIZE) : AREA_LEN;
    cfg.region_size = REGION_SIZE;
}

static void run_case(enum cut_case c)
{
    enum start_state s;
    uint64_t total, k;

    for (s = START_ZERO; s <= START_RANDOM; s++) {
        default_cfg_for(c);
        fill_start(s);
        prepare(c);
        /* Dry run: how many bytes does the operation write? */
        assert_true(cut_operation(c, NH_NO_CUT));
        total = nh_dev.written;
        assert_true(total > 0);
        for (k = 0; k <= total; k++) {
            bool ok;

            prepare(c);
            ok = cut_operation(c, (long)k);
            check_after_cut(c, ok);
        }
        printf("%s, %s chip: %llu cut points (every byte of %llu written)\n", case_name[c],
               state_name[s], (unsigned long long)(total + 1), (unsigned long long)total);
    }
}

static void test_cut_first_boot(void **state)
{
    (void)state;
    run_case(CASE_BOOT);
}

static void test_cut_first_allocation(void **state)
{
    (void)state;
    run_case(CASE_FIRST);
}

static void test_cut_second_allocation(void **state)
{
    (void)state;
    run_case(CASE_SECOND);
}

static void test_cut_allocation_of_last_region_that_fits(void **state)
{
    (void)state;
    run_case(CASE_LAST_FIT);
}

static void test_cut_record_save(void **state)
{
    (void)state;
    run_case(CASE_RECORD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_first_boot),
        cmocka_unit_test(test_cut_first_allocation),
        cmocka_unit_test(test_cut_second_allocation),
        cmocka_unit_test(test_cut_allocation_of_last_region_that_fits),
        cmocka_unit_test(test_cut_record_save),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
