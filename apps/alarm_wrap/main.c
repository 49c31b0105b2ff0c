/*
 * alarm_wrap: arms one alarm that spans the 32-bit counter's wrap and
 * checks that it fires once, never early, and how late.
 *
 * Meant for the ktest kernel tests/ktest/alarm_wrap.c, whose counter starts
 * shortly before the wrap, with several copies of this app loaded at once
 * (tests/qemu/test_alarm_long.py packs the same ELF under the package names
 * wrap_a .. wrap_f). The last letter of the package name, read from the
 * app's own TBF header, picks the role:
 *   a: due 50,000 ticks before the wrap       d: reference 100,000 ticks in
 *   b: due exactly at the wrap (tick 0)          the past, due 20,000 after
 *   c: due 50,000 ticks after the wrap        e: reference in the past, due
 *   f: 2^32 - 1,000 ticks (nearly a full       already: fires at once
 *      turn) from a reference before the wrap
 * All copies arm before the first deadline, so several alarms are armed
 * at once, some due before and some after the wrap.
 *
 * After the alarm fires, the app arms a second one DUP_WATCH_TICKS ahead
 * and waits for it; any alarm event in between is a duplicate. Prints
 *   alarm_wrap <name>: ref R dt D instant I fired F late L dups N ok
 * (late: ticks from when it was due, or from when it was armed if it was
 * due already) and exits 0, or prints FAILED and exits 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "userland/alarm.h"
#include "userland/syscall.h"

#define TBF_HEADER_SIZE_OFF 2u  /* u16: bytes of the whole header */
#define TBF_BASE_BYTES      16u /* fixed part; TLVs follow */
#define TBF_TLV_PACKAGE     3u
#define TBF_TLV_ALIGN       4u
#define NAME_MAX_LEN        16u

#define HALF_COUNTER    0x80000000u
#define BEFORE_WRAP     50000u
#define AFTER_WRAP      50000u
#define PAST_REF        100000u
#define PAST_DUE_AFTER  20000u
#define PAST_DT_EXPIRED 50000u
#define FULL_TURN_DT    (0u - 1000u)
#define DUP_WATCH_TICKS 20000u

/* The package name from this app's TBF header (memop 4: flash start). */
static void package_name(char *out, size_t cap)
{
    uint32_t flash = 0;
    const uint8_t *h;
    uint32_t size, at = TBF_BASE_BYTES;

    out[0] = '\0';
    if (tock_status_u32(tock_memop(MEMOP_FLASH_START, 0), &flash) != TOCK_SUCCESS)
        return;
    h = (const uint8_t *)flash;
    size = h[TBF_HEADER_SIZE_OFF] | (uint32_t)h[TBF_HEADER_SIZE_OFF + 1] << 8;
    while (at + 4 <= size) {
        uint32_t type = h[at] | (uint32_t)h[at + 1] << 8;
        uint32_t len = h[at + 2] | (uint32_t)h[at + 3] << 8;

        if (type == TBF_TLV_PACKAGE) {
            size_t n = len < cap - 1 ? len : cap - 1;
            memcpy(out, h + at + 4, n);
            out[n] = '\0';
            return;
        }
        at += 4 + (len + TBF_TLV_ALIGN - 1) / TBF_TLV_ALIGN * TBF_TLV_ALIGN;
    }
}

/* The role's (reference, dt) given the tick count now (before the wrap). */
static int plan(char role, uint32_t now, uint32_t *ref, uint32_t *dt)
{
    switch (role) {
    case 'a':
        *ref = now, *dt = (0u - BEFORE_WRAP) - now;
        return 0;
    case 'b':
        *ref = now, *dt = 0u - now;
        return 0;
    case 'c':
        *ref = now, *dt = AFTER_WRAP - now;
        return 0;
    case 'd':
        *ref = now - PAST_REF, *dt = PAST_DUE_AFTER - *ref;
        return 0;
    case 'e':
        *ref = now - PAST_REF, *dt = PAST_DT_EXPIRED;
        return 0;
    case 'f':
        *ref = now, *dt = FULL_TURN_DT;
        return 0;

    default:
        return -1;
    }
}

int main(void)
{
    char name[NAME_MAX_LEN + 1];
    uint32_t now = 0, ref = 0, dt = 0, instant = 0, watch = 0;
    unsigned dups = 0;

    package_name(name, sizeof(name));
    tock_alarm_now(&now);
    char role = name[0] ? name[strlen(name) - 1] : '?';
    if (now < HALF_COUNTER || plan(role, now, &ref, &dt) != 0) {
        printf("alarm_wrap %s: FAILED: no role, or started after the wrap (now %lu)\n", name,
               (unsigned long)now);
        return 1;
    }
    tock_ret_t r = tock_command(DRIVER_ALARM, ALARM_CMD_SET_ABSOLUTE, ref, dt);
    if (tock_status_u32(r, &instant) != TOCK_SUCCESS || instant != ref + dt) {
        printf("alarm_wrap %s: FAILED: set absolute\n", name);
        return 1;
    }
    tock_event_t ev = tock_yield_wait_for(DRIVER_ALARM, ALARM_UPCALL_FIRED);
    uint32_t fired = ev.arg0;
    int early = fired - ref < dt || ev.arg1 != instant;
    /* Due already when armed: it is due from the moment it was armed. */
    uint32_t due = now - ref >= dt ? now : instant;

    if (tock_alarm_set_relative(DUP_WATCH_TICKS, &watch) != TOCK_SUCCESS) {
        printf("alarm_wrap %s: FAILED: watch alarm\n", name);
        return 1;
    }
    for (;;) {
        tock_event_t e = tock_yield_wait_for(DRIVER_ALARM, ALARM_UPCALL_FIRED);
        if (e.arg1 == watch)
            break;
        dups++;
    }
    int ok = !early && dups == 0;
    printf("alarm_wrap %s: ref %lu dt %lu instant %lu fired %lu late %lu dups %u %s\n", name,
           (unsigned long)ref, (unsigned long)dt, (unsigned long)instant, (unsigned long)fired,
           (unsigned long)(fired - due), dups, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
