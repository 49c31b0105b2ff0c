/*
 * bench_wake: sleep-to-run latency among CPU-bound processes. WAKEUPS
 * times: arm the alarm SLEEP_TICKS ahead, block in yield-wait-for until it
 * fires, then read the clock; the latency of one wake-up is that reading
 * minus the instant the alarm was due, i.e. the interrupt, the kernel's
 * bottom half and every instruction any other process ran before this one
 * got the CPU back. Prints the worst and the mean (in alarm ticks: 40
 * instructions each under -icount shift=0 on mps2-an385, 50 on mps2-an505)
 * and exits 0.
 * tests/qemu/test_sched.py runs it beside seven bench_fair spinners.
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/alarm.h"
#include "userland/syscall.h"

#ifndef WAKEUPS
#define WAKEUPS 1000u
#endif
#define SLEEP_TICKS 500u /* 20,000 instructions: the spinners run meanwhile */

int main(void)
{
    uint32_t worst = 0;
    uint64_t sum = 0;

    for (uint32_t i = 0; i < WAKEUPS; i++) {
        uint32_t due = 0, now = 0;

        if (tock_alarm_set_relative(SLEEP_TICKS, &due) != 0)
            return 1;
        (void)tock_yield_wait_for(DRIVER_ALARM, ALARM_UPCALL_FIRED);
        if (tock_alarm_now(&now) != 0)
            return 1;
        if (now - due > worst)
            worst = now - due;
        sum += now - due;
    }
    printf("BENCH wake_latency_max_ticks=%lu wakeups=%lu mean_ticks=%lu\n", (unsigned long)worst,
           (unsigned long)WAKEUPS, (unsigned long)(sum / WAKEUPS));
    return 0;
}
