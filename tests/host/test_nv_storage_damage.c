/*
 * A damaged directory position in a full storage table (both copies of one
 * record destroyed: zeroed, erased to 0xFF, or garbage, as a stray write by
 * a tool or a chip fault leaves them), at every position: each region
 * record, the END and the cleared position after it.
 *
 * The table is built on a chip whose unused directory positions hold stale
 * but valid records of an earlier table (the worst "other data"), so an
 * allocation that forgot to clear the position after its new END would let
 * a stale record in once the END is damaged.
 *
 * After the damage and a reboot:
 *  - the kernel logs the damage (a damaged record, or a rewritten END);
 *  - every other region is reachable by its owner, data intact;
 *  - nothing is ever allocated over a region that was live, including the
 *    damaged one's (its bytes stay as they were) and including when the
 *    damaged record is the last one;
 *  - a table with room still allocates (below every region that was live);
 *    a full table refuses with exactly NOMEM;
 *  - no stale owner ever gets a region.
 */
// clang-format off
/* HOST_TEST_SRCS: capsules/nv_storage.c capsules/nv_region.c drivers/ram_fram.c hal/nvram.c kernel/deferred.c kernel/fmt.c kernel/log.c tests/host/support/log_text.c tests/host/support/fake_kernel.c tests/host/support/nvs_harness.c */
// clang-format on
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/nv_region.h"
#include "kernel/log.h"
#include "tests/host/support/nvs_harness.h"

#define AREA_START  512u
#define REGION_SIZE 512u
#define NUM_REGIONS 6u
#define FIRST_OWNER 0x100u
#define STALE_OWNER 0xBADu
#define NEW_OWNER   0x200u
#define OLD_BYTE    0xA5u
#define LOG_MAX     4096

enum damage { DAMAGE_ZERO, DAMAGE_ONES, DAMAGE_GARBAGE, NUM_DAMAGES };

static struct nvs_config cfg;
static struct nvr_area area;
static uint8_t built[NH_FRAM_SIZE];
static uint8_t damaged_img[NH_FRAM_SIZE];
static uint32_t region_data[NUM_REGIONS];
static char log_text[LOG_MAX];
static size_t log_len;

static void capture(const char *s, size_t len)
{
    if (log_len + len < LOG_MAX) {
        memcpy(log_text + log_len, s, len);
        log_len += len;
        log_text[log_len] = '\0';
    }
}

static uint8_t value_of(unsigned i)
{
    return (uint8_t)(0x10 + i);
}

static proc_id_t spawn(unsigned slot, uint32_t owner)
{
    struct storage_perms p = fk_perms_owner(owner);

    return fk_spawn(slot, &p);
}

static uint32_t call(proc_id_t pid, uint32_t cmd)
{
    struct fk_upcall up;
    uint32_t err;

    assert_true(nh_call(pid, cmd, 0, 0, &err, &up));
    return up.a0;
}

static void boot(void)
{
    fk_reset();
    log_len = 0;
    log_text[0] = '\0';
    nh_boot(&cfg, NH_FRAM_SIZE);
}

/* A chip holding an earlier table: every directory position from 2 on is
 * a valid record of STALE_OWNER over old bytes; 0 and 1 are invalid. */
static void stale_chip(void)
{
    uint32_t i;
    struct nvr_record r = {NVR_KIND_REGION, STALE_OWNER, 0, REGION_SIZE};

    memset(nh_mem, OLD_BYTE, sizeof(nh_mem));
    memset(nh_mem + AREA_START, 0, 2 * NVR_POS_SIZE);
    for (i = 2; nvr_pos_fits(&area, i) && nvr_pos_addr(&area, i + 1) <= area.end - REGION_SIZE;
         i++) {
        r.addr = area.end - REGION_SIZE;
        nvr_encode(nh_mem + nvr_pos_addr(&area, i), &r);
        nvr_encode(nh_mem + nvr_pos_addr(&area, i) + NVR_REC_SIZE, &r);
    }
}

/* Build n regions with data; with_room: the area has room for one more. */
static void build(unsigned n, bool with_room)
{
    static uint8_t out[REGION_SIZE];
    unsigned i;

    memset(&cfg, 0, sizeof(cfg));
    cfg.area_start = AREA_START;
    cfg.area_len = NVR_AREA_FOR(n + (with_room ? 1u : 0u), REGION_SIZE);
    cfg.region_size = REGION_SIZE;
    area = (struct nvr_area){cfg.area_start, cfg.area_start + cfg.area_len};
    stale_chip();
    boot();
    for (i = 0; i < n; i++) {
        proc_id_t p = spawn(i % FK_MAX_PROCS, FIRST_OWNER + i);

        memset(out, value_of(i), sizeof(out));
        fk_allow_ro(p, NVS_ALLOW_RO_WRITE, out, REGION_SIZE);
        assert_int_equal(call(p, NVS_CMD_WRITE), TOCK_SUCCESS);
        region_data[i] = nh_cap.reg_data;
        if (i % FK_MAX_PROCS == FK_MAX_PROCS - 1)
            fk_reset();
    }
    assert_int_equal(nh_cap.end_pos, n);
    memcpy(built, nh_mem, sizeof(built));
}

static void damage(uint32_t pos, enum damage how)
{
    uint32_t at = nvr_pos_addr(&area, pos), i;

    memcpy(nh_mem, built, sizeof(built));
    for (i = 0; i < NVR_POS_SIZE; i++)
        nh_mem[at + i] = how == DAMAGE_ZERO   ? 0x00
                         : how == DAMAGE_ONES ? 0xFF
                                              : (uint8_t)(i * 37u + pos + 1u);
    memcpy(damaged_img, nh_mem, sizeof(damaged_img));
}

static void expect_region(unsigned slot, uint32_t owner, uint8_t value)
{
    static uint8_t in[REGION_SIZE];
    proc_id_t p = spawn(slot, owner);
    unsigned i;

    memset(in, 0xEE, sizeof(in));
    fk_allow_rw(p, NVS_ALLOW_RW_READ, in, REGION_SIZE);
    assert_int_equal(call(p, NVS_CMD_READ), TOCK_SUCCESS);
    for (i = 0; i < REGION_SIZE; i++)
        assert_int_equal(in[i], value);
}

/* A new region must lie below every region that was live before the
 * damage and above the directory. */
static void expect_new_region_clear_of_live(unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++)
        assert_true(nh_cap.reg_data + nh_cap.reg_len <= region_data[i]);
    assert_true(nh_cap.reg_data >= nvr_pos_addr(&area, nh_cap.end_pos + 1));
}

static void check_damage(unsigned n, bool with_room, uint32_t pos, enum damage how)
{
    proc_id_t p;
    unsigned i;
    uint32_t st;

    damage(pos, how);
    boot();
    assert_false(nh_cap.boot.corrupt);
    if (pos < n) {
        assert_int_equal(nh_cap.boot.damaged, 1);
        assert_non_null(strstr(log_text, "damaged record"));
        assert_int_equal(nh_cap.boot.regions, n - 1);
    } else if (pos == n) {
        assert_true(nh_cap.boot.end_written); /* the END was lost */
        assert_non_null(strstr(log_text, "(rewritten)"));
        assert_int_equal(nh_cap.boot.regions, n);
    } else {
        assert_int_equal(nh_cap.boot.regions, n); /* after the END: not read */
    }
    assert_int_equal(nh_cap.end_pos, n);
    /* Every other region is reachable, data intact. */
    for (i = 0; i < n; i++) {
        if (i != pos)
            expect_region(0, FIRST_OWNER + i, value_of(i));
        fk_reset();
    }
    /* The stale owner never gets a stale region. */
    p = spawn(0, STALE_OWNER);
    st = call(p, NVS_CMD_GET_SIZE);
    if (st == TOCK_SUCCESS) {
        expect_new_region_clear_of_live(n);
        expect_region(0, STALE_OWNER, 0);
    } else {
        assert_int_equal(st, TOCK_ENOMEM);
        assert_false(with_room && pos >= n);
    }
    fk_reset();
    /* The damaged owner (and a new one) get a fresh region if there is
     * room, never one over live data. */
    if (pos < n) {
        p = spawn(1, FIRST_OWNER + pos);
        st = call(p, NVS_CMD_GET_SIZE);
        if (st == TOCK_SUCCESS) {
            expect_new_region_clear_of_live(n);
            expect_region(1, FIRST_OWNER + pos, 0);
        } else {
            assert_int_equal(st, TOCK_ENOMEM);
        }
    }
    p = spawn(2, NEW_OWNER);
    st = call(p, NVS_CMD_GET_SIZE);
    if (!with_room)
        assert_int_equal(st, TOCK_ENOMEM);
    if (st == TOCK_SUCCESS)
        expect_new_region_clear_of_live(n);
    /* The damaged region's bytes and every live region's are unchanged. */
    for (i = 0; i < n; i++)
        assert_memory_equal(nh_mem + region_data[i], damaged_img + region_data[i], REGION_SIZE);
    /* And it all holds again after one more boot. */
    boot();
    assert_false(nh_cap.boot.corrupt);
    for (i = 0; i < n; i++) {
        if (i != pos)
            expect_region(0, FIRST_OWNER + i, value_of(i));
        fk_reset();
    }
}

static void run(bool with_room)
{
    uint32_t pos, cases = 0;
    enum damage how;

    for (how = DAMAGE_ZERO; how < NUM_DAMAGES; how++) {
        /* Every position: each region record, the END, the one after. */
        for (pos = 0; pos <= NUM_REGIONS + 1; pos++) {
            build(NUM_REGIONS, with_room);
            check_damage(NUM_REGIONS, with_room, pos, how);
            cases++;
        }
    }
    printf("%s table of %u regions: %u damaged positions checked\n", with_room ? "roomy" : "full",
           NUM_REGIONS, cases);
}

static void test_single_damage_at_every_position_of_a_full_table(void **state)
{
    (void)state;
    run(false);
}

static void test_single_damage_at_every_position_with_room_left(void **state)
{
    (void)state;
    run(true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_damage_at_every_position_of_a_full_table),
        cmocka_unit_test(test_single_damage_at_every_position_with_room_left),
    };

    log_set_sink(capture);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
