/*
 * limits: every bound the kernel enforces on what a process passes it,
 * probed exactly at the bound (accepted) and one byte past it (refused),
 * from both sides where a bound has two:
 *
 *   read-write allow   starts at the RAM block start / one byte below it
 *                      ends at the break / one byte past it
 *   break vs grants    the break goes up to the last MPU subregion boundary
 *                      at or below the grant start, not one byte further;
 *                      a buffer ending there is accepted, one more refused
 *   read-only allow    starts at the flash start / one byte below it
 *                      ends at the flash end / one byte past it
 *   subscribe          a function at the first / last halfword of the
 *                      flash image, and one halfword outside either end
 *   break vs allows    the break can be lowered to exactly the end of a
 *                      live allowed RAM buffer, not one byte below it
 *
 * (The storage region's end is covered by apps/nvs_abi.) Prints one line
 * per failed check and "limits: N passed, M failed"; exits with M.
 * tests/qemu/test_limits.py boots it; each check was seen to fail with the
 * kernel's bound moved by one byte (docs/reliability.md).
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/alarm.h"
#include "userland/check.h"
#include "userland/console.h"
#include "userland/syscall.h"

#define PROBE_LEN        16u
#define THUMB_BIT        1u
#define THUMB_INSN_BYTES 2u
#define MPU_SUBREGIONS   8u  /* PMSAv7: the break moves in 1/8 of the block */
#define BREAK_PROBE_UP   64u /* raise the break this far ... */
#define BREAK_PROBE_GAP  32u /* ... and allow a buffer this far above the old one */

static uint32_t memop_u32(uint32_t op, uint32_t arg)
{
    uint32_t v = 0;
    tock_status_u32(tock_memop(op, arg), &v);
    return v;
}

static tock_ret_t allow_rw(uint32_t a, uint32_t len)
{
    return tock_allow_rw(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, (void *)a, len);
}

static tock_ret_t allow_ro(uint32_t a, uint32_t len)
{
    return tock_allow_ro(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, (const void *)a, len);
}

/* One probe pair: [at_a, at_a + len) accepted, [past_a, past_a + len)
 * refused with INVAL; the slot emptied again after each. */
static void pair(const char *what, tock_ret_t (*allow)(uint32_t, uint32_t), uint32_t at_a,
                 uint32_t past_a, uint32_t len)
{
    tock_ret_t at = allow(at_a, len);
    allow(0, 0);
    tock_ret_t past = allow(past_a, len);
    allow(0, 0);
    check_variant(what, at, RET_SUCCESS_2U32);
    check_failure(what, past, RET_FAILURE_2U32, TOCK_EINVAL);
}

static void test_ram(uint32_t ram_start, uint32_t brk)
{
    pair("rw allow at RAM start / one below", allow_rw, ram_start, ram_start - 1, PROBE_LEN);
    pair("rw allow ending at the break / one past", allow_rw, brk - PROBE_LEN, brk - PROBE_LEN + 1,
         PROBE_LEN);
    pair("rw allow last byte below the break / the break", allow_rw, brk - 1, brk, 1);
    /* Read-only allow accepts RAM too, with the same bounds. */
    pair("ro allow ending at the break / one past", allow_ro, brk - PROBE_LEN, brk - PROBE_LEN + 1,
         PROBE_LEN);
}

/* Raise the break as far as the grants allow, probe there, put it back. */
static void test_grant_start(uint32_t ram_start, uint32_t ram_end)
{
    uint32_t brk = memop_u32(MEMOP_SBRK, 0);
    uint32_t grant = memop_u32(MEMOP_GRANT_START, 0);
    uint32_t granule = (ram_end - ram_start) / MPU_SUBREGIONS;
    uint32_t top = ram_start + (grant - ram_start) / granule * granule;

    tock_ret_t up = tock_memop(MEMOP_BRK, top);
    tock_ret_t over = tock_memop(MEMOP_BRK, top + 1);
    tock_ret_t at = allow_rw(top - PROBE_LEN, PROBE_LEN);
    allow_rw(0, 0);
    tock_ret_t past = allow_rw(top - PROBE_LEN + 1, PROBE_LEN);
    allow_rw(0, 0);
    tock_ret_t back = tock_memop(MEMOP_BRK, brk);

    check_true("grant start above the break", brk <= top && top <= grant);
    check_variant("brk up to the last subregion below the grants", up, RET_SUCCESS);
    check_failure("brk one byte further", over, RET_FAILURE, TOCK_ENOMEM);
    check_variant("rw allow ending at the highest break", at, RET_SUCCESS_2U32);
    check_failure("rw allow one byte past the highest break", past, RET_FAILURE_2U32, TOCK_EINVAL);
    check_variant("brk back down", back, RET_SUCCESS);
}

/* The break cannot be lowered below the end of a live allowed buffer in
 * RAM (a grant could later be placed under it), down to exactly its end;
 * once the buffer is unallowed it can. */
static void test_break_under_allow(tock_ret_t (*allow)(uint32_t, uint32_t), const char *what)
{
    uint32_t brk = memop_u32(MEMOP_SBRK, 0);
    uint32_t buf = brk + BREAK_PROBE_GAP, end = buf + PROBE_LEN;
    tock_ret_t up = tock_memop(MEMOP_BRK, brk + BREAK_PROBE_UP);
    tock_ret_t shared = allow(buf, PROBE_LEN);
    tock_ret_t below = tock_memop(MEMOP_BRK, end - 1);
    tock_ret_t under = tock_memop(MEMOP_BRK, brk);
    tock_ret_t at = tock_memop(MEMOP_BRK, end);
    allow(0, 0);
    tock_ret_t freed = tock_memop(MEMOP_BRK, brk);

    check_variant(what, up, RET_SUCCESS);
    check_variant(what, shared, RET_SUCCESS_2U32);
    check_failure(what, below, RET_FAILURE, TOCK_ENOMEM);
    check_failure(what, under, RET_FAILURE, TOCK_ENOMEM);
    check_variant(what, at, RET_SUCCESS);
    check_variant(what, freed, RET_SUCCESS);
    check_u32(what, memop_u32(MEMOP_SBRK, 0), brk);
}

static void test_flash(uint32_t flash_start, uint32_t flash_end)
{
    pair("ro allow at flash start / one below", allow_ro, flash_start, flash_start - 1, PROBE_LEN);
    pair("ro allow ending at flash end / one past", allow_ro, flash_end - PROBE_LEN,
         flash_end - PROBE_LEN + 1, PROBE_LEN);
    pair("ro allow last flash byte / first byte past", allow_ro, flash_end - 1, flash_end, 1);
}

/* Function pointers are only registered, never called: nothing is armed,
 * and the slot is emptied before anything could fire. */
static void test_subscribe(uint32_t flash_start, uint32_t flash_end)
{
    struct {
        const char *what;
        uint32_t fn;
        bool ok;
    } probes[] = {
        {"upcall at the first flash halfword", flash_start | THUMB_BIT, true},
        {"upcall one halfword below flash", (flash_start - THUMB_INSN_BYTES) | THUMB_BIT, false},
        {"upcall at the last flash halfword", (flash_end - THUMB_INSN_BYTES) | THUMB_BIT, true},
        {"upcall one halfword past flash", flash_end | THUMB_BIT, false},
    };
    tock_ret_t r[sizeof(probes) / sizeof(probes[0])];

    for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        r[i] =
            tock_subscribe(DRIVER_ALARM, ALARM_UPCALL_FIRED, (tock_upcall_fn *)probes[i].fn, NULL);
        tock_subscribe(DRIVER_ALARM, ALARM_UPCALL_FIRED, NULL, NULL);
    }
    for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        if (probes[i].ok)
            check_variant(probes[i].what, r[i], RET_SUCCESS_2U32);
        else
            check_failure(probes[i].what, r[i], RET_FAILURE_2U32, TOCK_EINVAL);
    }
}

int main(void)
{
    printf("limits: start\n");
    uint32_t ram_start = memop_u32(MEMOP_RAM_START, 0);
    uint32_t ram_end = memop_u32(MEMOP_RAM_END, 0);
    uint32_t flash_start = memop_u32(MEMOP_FLASH_START, 0);
    uint32_t flash_end = memop_u32(MEMOP_FLASH_END, 0);
    uint32_t brk = memop_u32(MEMOP_SBRK, 0);

    test_ram(ram_start, brk);
    test_grant_start(ram_start, ram_end);
    test_break_under_allow(allow_rw,
                           "brk vs a live rw allow: up, allow, end-1 no, under no, end ok");
    test_break_under_allow(allow_ro,
                           "brk vs a live ro allow: up, allow, end-1 no, under no, end ok");
    test_flash(flash_start, flash_end);
    test_subscribe(flash_start, flash_end);

    unsigned failed = check_failed();
    printf("limits: %u passed, %u failed\n", check_passed(), failed);
    return (int)failed;
}
