/*
 * bench_sleep: SLEEPS times, arms an alarm SLEEP_TICKS ahead and blocks in
 * yield-wait-for until it fires, then exits 0. Beside a CPU-bound process
 * (bench_spin) each sleep is two context switches: this process blocks and
 * the kernel switches to the spinner (a switch on yield); the timer
 * interrupt wakes this process and the kernel switches back (a switch on
 * wake-up). tools/bench.py counts the kernel instructions of both in an
 * instruction trace. Prints nothing.
 */
#include <stddef.h>
#include <stdint.h>

#include "userland/alarm.h"

#define SLEEPS      200u
#define SLEEP_TICKS 50u /* 2000 instructions: the spinner runs in between */

int main(void)
{
    for (uint32_t i = 0; i < SLEEPS; i++)
        if (tock_alarm_sleep_ticks(SLEEP_TICKS, NULL) != 0)
            return 1;
    return 0;
}
