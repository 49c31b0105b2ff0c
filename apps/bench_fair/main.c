/*
 * bench_fair: a CPU-bound process that never yields. It counts loop turns
 * until the alarm clock reaches END_TICKS (looking at it every CHECK_EVERY
 * turns), prints its count with its flash address (copies of one TBF tell
 * themselves apart) and exits 0. Copies started together and stopped at the
 * same instant got CPU time in proportion to their counts: the fairness
 * figure of tests/qemu/test_sched.py. Built with FAIR_NAP (apps/bench_sleepy)
 * it also naps one tick after every CHECK_EVERY turns: a process trying to
 * win a bigger share by sleeping and waking often.
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/alarm.h"
#include "userland/syscall.h"

#ifndef END_TICKS
#define END_TICKS 40000000u /* 1.6 G instructions under -icount shift=0 */
#endif
#define CHECK_EVERY 4096u
#ifndef FAIR_NAP
#define FAIR_NAP 0
#endif
#ifndef FAIR_LABEL
#define FAIR_LABEL "bench_fair"
#endif

int main(void)
{
    uint32_t flash = 0, now = 0;
    volatile uint32_t turns = 0; /* volatile: the loop is the point */

    tock_status_u32(tock_memop(MEMOP_FLASH_START, 0), &flash);
    do {
        for (uint32_t i = 0; i < CHECK_EVERY; i++)
            turns = turns + 1;
        if (FAIR_NAP && tock_alarm_sleep_ticks(1, NULL) != 0)
            return 1;
        if (tock_alarm_now(&now) != 0)
            return 1;
    } while (now < END_TICKS);
    printf(FAIR_LABEL "@%08lx: turns %lu\n", (unsigned long)flash, (unsigned long)turns);
    return 0;
}
