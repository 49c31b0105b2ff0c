/*
 * conformance: exercises every system call class against TRD104 and
 * memop.md, success and error paths, checking each return variant and the
 * values it carries. Prints "conformance: N passed, M failed" and exits
 * (the last check) with status M.
 *
 * Written to pass on any correct Tock 2.x kernel on mps2-an385: the only
 * board facts used are addresses that are certainly not the app's (kernel
 * RAM, kernel flash, the UART's registers).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "userland/check.h"
#include "userland/alarm.h"
#include "userland/console.h"
#include "userland/lldebug.h"
#include "userland/syscall.h"

/* Addresses outside any app (boards/mps2-an385/layout.ld, board.h). */
#define KERNEL_RAM_ADDR   0x20000000u
#define KERNEL_FLASH_ADDR 0x00000100u
#define MMIO_ADDR         0x40004000u /* CMSDK UART0 */
#define PROBE_LEN         16u
#define WRAP_LEN          0xFFFFFFF0u /* with any real address, wraps past 2^32 */
#define THUMB_BIT         1u

#define UNKNOWN_DRIVER 0xDEAD0u
/* Unknown drivers for each way the kernel's driver table can miss
 * (kernel/grant.c: a number's first slot is its low 3 bits): 0xDEAD0's
 * first slot holds the alarm, 0xDEAD3's is free on every board here, and
 * a free slot holds a placeholder whose number is 0xFFFFFFFF. */
#define UNKNOWN_DRIVER_FREE_SLOT 0xDEAD3u
#define UNKNOWN_DRIVER_MAX       0xFFFFFFFFu
#define UNKNOWN_COMMAND          0x7777u
#define UNKNOWN_MEMOP            99u
#define BRK_STEP                 64u
/* Upper bound on yield-no-wait polls while an alarm of ALARM_SHORT_MS runs. */
#define POLL_LIMIT     2000000u
#define ALARM_SHORT_MS 2u
#define NO_WAIT_UNSET  0xA5u /* preset result byte: the kernel must overwrite it */
#define SMALL_ALLOC    256u
#define HUGE_ALLOC     (1u << 20) /* more than any app block on this board */

static uint8_t buf_a[PROBE_LEN];
static uint8_t buf_b[2 * PROBE_LEN];
static const char flash_text[] = "conformance: read-only buffer in flash";
static int userdata_a, userdata_b;

static volatile uint32_t upcalls_run;
static volatile uint32_t upcall_arg0, upcall_arg1;
static void *volatile upcall_userdata;

static void on_alarm(uint32_t arg0, uint32_t arg1, uint32_t arg2, void *userdata)
{
    (void)arg2;
    upcalls_run++;
    upcall_arg0 = arg0;
    upcall_arg1 = arg1;
    upcall_userdata = userdata;
}

static void on_other(uint32_t arg0, uint32_t arg1, uint32_t arg2, void *userdata)
{
    (void)arg0;
    (void)arg1;
    (void)arg2;
    (void)userdata;
}

static uint32_t addr(const void *p)
{
    return (uint32_t)p;
}

static uint32_t fn_addr(tock_upcall_fn *fn)
{
    return (uint32_t)fn;
}

static uint32_t memop_u32(uint32_t op, uint32_t arg)
{
    uint32_t v = 0;
    tock_status_u32(tock_memop(op, arg), &v);
    return v;
}

static uint32_t alarm_ticks_for_ms(uint32_t ms)
{
    uint32_t hz = 0;
    tock_alarm_frequency(&hz);
    uint32_t ticks = (uint32_t)((uint64_t)hz * ms / ALARM_MS_PER_SECOND);
    return ticks > 0 ? ticks : 1;
}

static void test_command(void)
{
    check_variant("command 0 on console", tock_command(DRIVER_CONSOLE, 0, 0, 0), RET_SUCCESS);
    check_variant("command 0 on alarm", tock_command(DRIVER_ALARM, 0, 0, 0), RET_SUCCESS);
    check_variant("command 0 on lldebug", tock_command(DRIVER_LLDEBUG, 0, 0, 0), RET_SUCCESS);
    check_failure("command on unknown driver", tock_command(UNKNOWN_DRIVER, 0, 0, 0), RET_FAILURE,
                  TOCK_ENODEVICE);
    check_failure("command 1 on unknown driver, another driver's slot",
                  tock_command(UNKNOWN_DRIVER, 1, 0, 0), RET_FAILURE, TOCK_ENODEVICE);
    check_failure("command 1 on unknown driver, free slot",
                  tock_command(UNKNOWN_DRIVER_FREE_SLOT, 1, 0, 0), RET_FAILURE, TOCK_ENODEVICE);
    check_failure("command 0 on driver 0xFFFFFFFF", tock_command(UNKNOWN_DRIVER_MAX, 0, 0, 0),
                  RET_FAILURE, TOCK_ENODEVICE);
    check_failure("command 1 on driver 0xFFFFFFFF", tock_command(UNKNOWN_DRIVER_MAX, 1, 0, 0),
                  RET_FAILURE, TOCK_ENODEVICE);
    check_failure("unknown command on console", tock_command(DRIVER_CONSOLE, UNKNOWN_COMMAND, 0, 0),
                  RET_FAILURE, TOCK_ENOSUPPORT);
    tock_ret_t freq = tock_command(DRIVER_ALARM, ALARM_CMD_FREQUENCY, 0, 0);
    check_variant("alarm frequency variant", freq, RET_SUCCESS_U32);
    check_true("alarm frequency nonzero", freq.r1 != 0);
    check_variant("lldebug print", tock_command(DRIVER_LLDEBUG, LLDEBUG_CMD_PRINT1, 0xC0FFEE, 0),
                  RET_SUCCESS);
}

static void test_subscribe(void)
{
    /* Swap semantics: each success returns the previous (upcall, userdata). */
    tock_ret_t first = tock_subscribe(DRIVER_ALARM, 0, on_alarm, &userdata_a);
    tock_ret_t second = tock_subscribe(DRIVER_ALARM, 0, on_other, &userdata_b);
    tock_ret_t third = tock_subscribe(DRIVER_ALARM, 0, NULL, NULL);
    check_variant("subscribe first", first, RET_SUCCESS_2U32);
    check_u32("subscribe first returns null upcall", first.r1, 0);
    check_u32("subscribe first returns null userdata", first.r2, 0);
    check_variant("subscribe second", second, RET_SUCCESS_2U32);
    check_u32("subscribe second returns first upcall", second.r1, fn_addr(on_alarm));
    check_u32("subscribe second returns first userdata", second.r2, addr(&userdata_a));
    check_variant("subscribe null", third, RET_SUCCESS_2U32);
    check_u32("subscribe null returns second upcall", third.r1, fn_addr(on_other));
    check_u32("subscribe null returns second userdata", third.r2, addr(&userdata_b));

    tock_ret_t r = tock_subscribe(UNKNOWN_DRIVER, 0, on_alarm, &userdata_a);
    check_failure("subscribe unknown driver", r, RET_FAILURE_2U32, TOCK_ENODEVICE);
    r = tock_subscribe(UNKNOWN_DRIVER_MAX, 0, on_alarm, &userdata_a);
    check_failure("subscribe driver 0xFFFFFFFF", r, RET_FAILURE_2U32, TOCK_ENODEVICE);
    check_u32("subscribe unknown driver returns null upcall", r.r2, 0);

    /* Upcall pointers outside the app's flash: refused, passed values back. */
    const uint32_t bad_fns[] = {KERNEL_RAM_ADDR | THUMB_BIT, KERNEL_FLASH_ADDR | THUMB_BIT,
                                addr(buf_a) | THUMB_BIT, MMIO_ADDR | THUMB_BIT};
    const char *const bad_names[] = {"subscribe fn in kernel RAM", "subscribe fn in kernel flash",
                                     "subscribe fn in own RAM", "subscribe fn in MMIO"};
    for (unsigned i = 0; i < sizeof(bad_fns) / sizeof(bad_fns[0]); i++) {
        r = tock_subscribe(DRIVER_ALARM, 0, (tock_upcall_fn *)bad_fns[i], &userdata_a);
        check_failure(bad_names[i], r, RET_FAILURE_2U32, TOCK_EINVAL);
        check_u32(bad_names[i], r.r2, bad_fns[i]);
        check_u32(bad_names[i], r.r3, addr(&userdata_a));
    }
    /* A refused subscribe leaves the registered upcall (null) in place. */
    r = tock_subscribe(DRIVER_ALARM, 0, NULL, NULL);
    check_variant("subscribe after refusals", r, RET_SUCCESS_2U32);
    check_u32("refused subscribe did not register", r.r1, 0);
}

/* One refused allow: failure INVAL with the passed address and length. */
static void check_allow_refused(const char *what, tock_ret_t r, uint32_t a, uint32_t len)
{
    check_failure(what, r, RET_FAILURE_2U32, TOCK_EINVAL);
    check_u32(what, r.r2, a);
    check_u32(what, r.r3, len);
}

static void test_allow_rw(uint32_t grant_start, uint32_t ram_end, uint32_t brk)
{
    tock_ret_t first = tock_allow_rw(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, buf_a, PROBE_LEN);
    tock_ret_t second = tock_allow_rw(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, buf_b, sizeof(buf_b));
    tock_ret_t third = tock_allow_rw(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, NULL, 0);
    check_variant("allow rw first", first, RET_SUCCESS_2U32);
    check_u32("allow rw first returns address 0", first.r1, 0);
    check_u32("allow rw first returns size 0", first.r2, 0);
    check_variant("allow rw second", second, RET_SUCCESS_2U32);
    check_u32("allow rw second returns first address", second.r1, addr(buf_a));
    check_u32("allow rw second returns first size", second.r2, PROBE_LEN);
    check_variant("allow rw unallow", third, RET_SUCCESS_2U32);
    check_u32("allow rw unallow returns second address", third.r1, addr(buf_b));
    check_u32("allow rw unallow returns second size", third.r2, sizeof(buf_b));

    tock_ret_t r = tock_allow_rw(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, (void *)KERNEL_RAM_ADDR, 0);
    check_variant("allow rw zero length at kernel RAM", r, RET_SUCCESS_2U32);
    r = tock_allow_rw(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, NULL, 0);
    check_variant("allow rw unallow zero length", r, RET_SUCCESS_2U32);

    struct {
        const char *what;
        uint32_t a, len;
    } bad[] = {
        {"allow rw kernel RAM", KERNEL_RAM_ADDR, PROBE_LEN},
        {"allow rw MMIO", MMIO_ADDR, PROBE_LEN},
        {"allow rw own flash", addr(flash_text), sizeof(flash_text)},
        {"allow rw wrapping length", addr(buf_a), WRAP_LEN},
        {"allow rw own grant region", grant_start, PROBE_LEN},
        {"allow rw past own RAM block", ram_end, PROBE_LEN},
        {"allow rw across the break", brk - PROBE_LEN / 2, PROBE_LEN},
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = tock_allow_rw(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, (void *)bad[i].a, bad[i].len);
        check_allow_refused(bad[i].what, r, bad[i].a, bad[i].len);
    }
    r = tock_allow_rw(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, NULL, 0);
    check_u32("refused allow rw left the slot empty", r.r1, 0);

    r = tock_allow_rw(UNKNOWN_DRIVER, 0, buf_a, PROBE_LEN);
    check_failure("allow rw unknown driver", r, RET_FAILURE_2U32, TOCK_ENODEVICE);
    check_u32("allow rw unknown driver returns address", r.r2, addr(buf_a));
    check_u32("allow rw unknown driver returns size", r.r3, PROBE_LEN);
}

static void test_allow_ro(uint32_t flash_end)
{
    /* No printf between these: the console's write buffer is this slot. */
    tock_ret_t first = tock_allow_ro(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, flash_text, 8);
    tock_ret_t second = tock_allow_ro(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, buf_a, PROBE_LEN);
    tock_ret_t third = tock_allow_ro(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, NULL, 0);
    check_variant("allow ro own flash", first, RET_SUCCESS_2U32);
    check_u32("allow ro first returns address 0 (console unallowed it)", first.r1, 0);
    check_variant("allow ro own RAM", second, RET_SUCCESS_2U32);
    check_u32("allow ro second returns flash address", second.r1, addr(flash_text));
    check_u32("allow ro second returns flash size", second.r2, 8);
    check_variant("allow ro unallow", third, RET_SUCCESS_2U32);
    check_u32("allow ro unallow returns RAM address", third.r1, addr(buf_a));
    check_u32("allow ro unallow returns RAM size", third.r2, PROBE_LEN);

    struct {
        const char *what;
        uint32_t a, len;
    } bad[] = {
        {"allow ro kernel RAM", KERNEL_RAM_ADDR, PROBE_LEN},
        {"allow ro kernel flash", KERNEL_FLASH_ADDR, PROBE_LEN},
        {"allow ro MMIO", MMIO_ADDR, PROBE_LEN},
        {"allow ro past own flash", flash_end, PROBE_LEN},
        {"allow ro wrapping length", addr(flash_text), WRAP_LEN},
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tock_ret_t r = tock_allow_ro(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, (const void *)bad[i].a,
                                     bad[i].len);
        check_allow_refused(bad[i].what, r, bad[i].a, bad[i].len);
    }
}

static void test_userspace_readable_allow(void)
{
    tock_ret_t r = tock_allow_userspace_r(UNKNOWN_DRIVER, 0, buf_a, PROBE_LEN);
    check_failure("userspace-readable allow unknown driver", r, RET_FAILURE_2U32, TOCK_ENODEVICE);
    check_u32("userspace-readable allow returns address", r.r2, addr(buf_a));
}

static void test_memop(uint32_t *grant_start_out, uint32_t *ram_end_out, uint32_t *flash_end_out,
                       uint32_t *brk_out)
{
    tock_ret_t r = tock_memop(MEMOP_RAM_START, 0);
    check_variant("memop ram start", r, RET_SUCCESS_U32);
    uint32_t ram_start = r.r1;
    uint32_t ram_end = memop_u32(MEMOP_RAM_END, 0);
    uint32_t flash_start = memop_u32(MEMOP_FLASH_START, 0);
    uint32_t flash_end = memop_u32(MEMOP_FLASH_END, 0);
    uint32_t grant_start = memop_u32(MEMOP_GRANT_START, 0);
    uint32_t local = 0;

    check_true("ram start < grant start <= ram end",
               ram_start < grant_start && grant_start <= ram_end);
    check_true("flash start < flash end", flash_start < flash_end);
    check_true("own code inside own flash",
               flash_start <= fn_addr(on_alarm) && fn_addr(on_alarm) < flash_end);
    check_true("own rodata inside own flash",
               flash_start <= addr(flash_text) && addr(flash_text) < flash_end);
    check_true("own data inside own RAM", ram_start <= addr(buf_a) && addr(buf_a) < grant_start);
    check_true("own stack inside own RAM", ram_start <= addr(&local) && addr(&local) < grant_start);

    r = tock_memop(MEMOP_SBRK, 0);
    check_variant("sbrk 0", r, RET_SUCCESS_U32);
    uint32_t brk = r.r1;
    check_true("break above data, below grants", addr(buf_b) < brk && brk <= grant_start);
    check_variant("brk up", tock_memop(MEMOP_BRK, brk + BRK_STEP), RET_SUCCESS);
    check_u32("sbrk 0 sees brk", memop_u32(MEMOP_SBRK, 0), brk + BRK_STEP);
    r = tock_memop(MEMOP_SBRK, (uint32_t) - (int32_t)BRK_STEP);
    check_variant("sbrk down", r, RET_SUCCESS_U32);
    check_u32("sbrk returns previous break", r.r1, brk + BRK_STEP);
    check_u32("sbrk down reached start", memop_u32(MEMOP_SBRK, 0), brk);
    check_failure("brk into grants", tock_memop(MEMOP_BRK, grant_start + PROBE_LEN), RET_FAILURE,
                  TOCK_ENOMEM);
    check_failure("brk below RAM", tock_memop(MEMOP_BRK, ram_start - PROBE_LEN), RET_FAILURE,
                  TOCK_ENOMEM);
    check_failure("sbrk past RAM end", tock_memop(MEMOP_SBRK, ram_end - brk + PROBE_LEN),
                  RET_FAILURE, TOCK_ENOMEM);
    check_u32("refused brk left the break", memop_u32(MEMOP_SBRK, 0), brk);
    check_variant("memop stack top hint", tock_memop(MEMOP_STACK_TOP, addr(&local)), RET_SUCCESS);
    check_variant("memop heap start hint", tock_memop(MEMOP_HEAP_START, brk), RET_SUCCESS);
    r = tock_memop(MEMOP_WFLASH_COUNT, 0);
    check_variant("memop writeable flash count", r, RET_SUCCESS_U32);
    check_u32("no writeable flash regions", r.r1, 0);
    check_failure("unknown memop", tock_memop(UNKNOWN_MEMOP, 0), RET_FAILURE, TOCK_ENOSUPPORT);

    *grant_start_out = grant_start;
    *ram_end_out = ram_end;
    *flash_end_out = flash_end;
    *brk_out = brk;
}

static void test_yield(void)
{
    uint8_t result = NO_WAIT_UNSET;
    tock_yield_no_wait_raw(&result);
    check_u32("yield-no-wait with nothing pending writes 0", result, 0);

    uint32_t dt = alarm_ticks_for_ms(ALARM_SHORT_MS);
    uint32_t expires = 0;

    /* wait-for returns the event without calling the subscribed function. */
    tock_subscribe(DRIVER_ALARM, ALARM_UPCALL_FIRED, on_alarm, &userdata_a);
    upcalls_run = 0;
    check_true("set alarm", tock_alarm_set_relative(dt, &expires) == TOCK_SUCCESS);
    tock_event_t ev = tock_yield_wait_for(DRIVER_ALARM, ALARM_UPCALL_FIRED);
    check_u32("yield-wait-for calls no upcall", upcalls_run, 0);
    check_u32("yield-wait-for returns the expiry", ev.arg1, expires);
    check_true("yield-wait-for: fired at or after expiry", (int32_t)(ev.arg0 - expires) >= 0);

    /* wait runs exactly one upcall, with the userdata given at subscribe. */
    check_true("set alarm", tock_alarm_set_relative(dt, &expires) == TOCK_SUCCESS);
    tock_yield_wait();
    check_u32("yield-wait ran one upcall", upcalls_run, 1);
    check_u32("upcall got the expiry", upcall_arg1, expires);
    check_u32("upcall got its userdata", addr(upcall_userdata), addr(&userdata_a));

    /* no-wait runs the upcall once it is pending and says so. */
    check_true("set alarm", tock_alarm_set_relative(dt, &expires) == TOCK_SUCCESS);
    uint32_t polls = 0, bad_bytes = 0;
    do {
        result = NO_WAIT_UNSET;
        tock_yield_no_wait_raw(&result);
        if (result > 1) {
            bad_bytes++;
        }
    } while (result != 1 && ++polls < POLL_LIMIT);
    check_u32("yield-no-wait writes only 0 or 1", bad_bytes, 0);
    check_u32("yield-no-wait reports the upcall", result, 1);
    check_u32("yield-no-wait ran it", upcalls_run, 2);

    /* A successful subscribe drops events queued before it. */
    check_true("set alarm", tock_alarm_set_relative(dt, &expires) == TOCK_SUCCESS);
    uint32_t now = expires;
    while ((int32_t)(now - expires) <= (int32_t)dt) {
        tock_alarm_now(&now); /* busy: no yield, so the event stays queued */
    }
    tock_subscribe(DRIVER_ALARM, ALARM_UPCALL_FIRED, on_alarm, &userdata_b);
    result = NO_WAIT_UNSET;
    tock_yield_no_wait_raw(&result);
    check_u32("subscribe cancelled the queued upcall", result, 0);
    check_u32("cancelled upcall did not run", upcalls_run, 2);

    tock_ret_t r = tock_subscribe(DRIVER_ALARM, ALARM_UPCALL_FIRED, NULL, NULL);
    check_u32("unsubscribe returns the last upcall", r.r1, fn_addr(on_alarm));
    check_u32("unsubscribe returns the last userdata", r.r2, addr(&userdata_b));
}

/* yield-wait-for takes its own event wherever it sits in the queue and
 * leaves the others as they were. A console write's completion is queued
 * first, the alarm's second (no yield between them): wait-for the alarm,
 * which is not the oldest, then the write's, which is now the oldest. */
static void test_wait_for_takes_its_own_event(void)
{
    static const char text[] = "conformance: two events queued\n";
    const uint32_t len = sizeof(text) - 1;
    uint32_t dt = alarm_ticks_for_ms(ALARM_SHORT_MS);
    uint32_t expires = 0, now = 0;
    uint8_t result = NO_WAIT_UNSET;

    upcalls_run = 0;
    tock_subscribe(DRIVER_ALARM, ALARM_UPCALL_FIRED, on_alarm, &userdata_a);
    tock_subscribe(DRIVER_CONSOLE, CONSOLE_UPCALL_WRITE, on_other, NULL);
    check_true("allow the text", tock_allow_ro_status(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, text,
                                                      len) == TOCK_SUCCESS);
    check_true("start the write",
               tock_command_ok(DRIVER_CONSOLE, CONSOLE_CMD_WRITE, len, 0) == TOCK_SUCCESS);
    check_true("set alarm", tock_alarm_set_relative(dt, &expires) == TOCK_SUCCESS);
    do {
        tock_alarm_now(&now); /* busy: both events stay queued */
    } while ((int32_t)(now - expires) <= (int32_t)dt);

    tock_event_t ev = tock_yield_wait_for(DRIVER_ALARM, ALARM_UPCALL_FIRED);
    check_u32("wait-for the younger event gets the alarm's expiry", ev.arg1, expires);
    ev = tock_yield_wait_for(DRIVER_CONSOLE, CONSOLE_UPCALL_WRITE);
    check_u32("then wait-for the older one gets the write's count", ev.arg0, len);
    tock_yield_no_wait_raw(&result);
    check_u32("both were taken: nothing left to run", result, 0);
    check_u32("and neither ran a function", upcalls_run, 0);

    tock_allow_ro(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, NULL, 0);
    tock_subscribe(DRIVER_CONSOLE, CONSOLE_UPCALL_WRITE, NULL, NULL);
    tock_subscribe(DRIVER_ALARM, ALARM_UPCALL_FIRED, NULL, NULL);
}

/* malloc grows the break through _sbrk; past the block it fails cleanly. */
static void test_heap(uint32_t grant_start)
{
    uint32_t before = memop_u32(MEMOP_SBRK, 0);
    char *small = malloc(SMALL_ALLOC);
    check_true("small malloc succeeds", small != NULL);
    check_true("small malloc lies below the grants",
               small != NULL && addr(small) + SMALL_ALLOC <= grant_start);
    errno = 0;
    void *huge = malloc(HUGE_ALLOC);
    check_true("huge malloc returns NULL", huge == NULL);
    check_u32("huge malloc sets ENOMEM", (uint32_t)errno, ENOMEM);
    check_true("break stayed below the grants", memop_u32(MEMOP_SBRK, 0) <= grant_start);
    check_true("break did not shrink", memop_u32(MEMOP_SBRK, 0) >= before);
    free(small);
}

static void test_console(void)
{
    static const char line[] = "conformance: console write through the driver\n";
    check_true("console write", tock_console_write(line, sizeof(line) - 1) == TOCK_SUCCESS);
}

int main(void)
{
    uint32_t grant_start = 0, ram_end = 0, flash_end = 0, brk = 0;

    printf("conformance: start\n");
    test_command();
    test_subscribe();
    test_memop(&grant_start, &ram_end, &flash_end, &brk);
    test_allow_rw(grant_start, ram_end, brk);
    test_allow_ro(flash_end);
    test_userspace_readable_allow();
    test_yield();
    test_wait_for_takes_its_own_event();
    test_heap(grant_start);
    test_console();

    unsigned failed = check_failed();
    printf("conformance: %u passed, %u failed\n", check_passed(), failed);
    /* Exit is the last class exercised: its status is the failure count. */
    tock_exit_terminate(failed);
}
