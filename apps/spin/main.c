/*
 * spin: burns the CPU without ever yielding and reports progress every
 * SPIN_ITERATIONS loop turns, SPIN_REPORTS times, then exits 0. Its lines
 * carry its flash address so two copies of the same TBF can be told apart:
 * if both keep printing, the timeslice preempts a process that never yields.
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/syscall.h"

#define SPIN_ITERATIONS 2000000u
#define SPIN_REPORTS    5u

int main(void)
{
    uint32_t flash = 0;
    tock_status_u32(tock_memop(MEMOP_FLASH_START, 0), &flash);
    /* volatile: the loop is the point, the compiler must not fold it. */
    volatile uint32_t counter = 0;
    for (uint32_t report = 1; report <= SPIN_REPORTS; report++) {
        for (uint32_t i = 0; i < SPIN_ITERATIONS; i++) {
            counter = counter + 1;
        }
        printf("%s@%08lx: progress %lu/%lu\n", APP_NAME, (unsigned long)flash,
               (unsigned long)report, (unsigned long)SPIN_REPORTS);
    }
    printf("%s@%08lx: done\n", APP_NAME, (unsigned long)flash);
    return 0;
}
