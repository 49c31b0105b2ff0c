/*
 * alarm_bystander: counts the system calls it completes in WINDOW_TICKS
 * ticks of the alarm counter (the alarm capsule's "frequency" command, the
 * cheapest there is, plus the "now" reads that close the window), prints
 * the count and exits 0.
 *
 * Under -icount shift=0 the count is deterministic, so two boots, one alone
 * and one beside another app's distant alarm (apps/alarm_far), show
 * whether that alarm costs anyone else CPU time
 * (tests/qemu/test_alarm_long.py). The figure is compared, never timed.
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/alarm.h"
#include "userland/syscall.h"

#define WINDOW_TICKS   25000u /* 1 ms at 25 MHz: 1,000,000 instructions */
#define CALLS_PER_READ 16u    /* frequency calls between two "now" reads */

int main(void)
{
    uint32_t start = 0, now = 0, hz = 0;
    uint32_t calls = 0;

    tock_alarm_now(&start);
    do {
        for (unsigned i = 0; i < CALLS_PER_READ; i++)
            tock_alarm_frequency(&hz);
        tock_alarm_now(&now);
        calls += CALLS_PER_READ + 1;
    } while (now - start < WINDOW_TICKS);
    printf("alarm_bystander: %lu calls in %lu ticks\n", (unsigned long)calls,
           (unsigned long)(now - start));
    return 0;
}
