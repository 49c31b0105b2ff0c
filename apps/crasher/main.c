/*
 * crasher: sleeps a little (so other apps visibly run between its lives),
 * prints one line, then reads the first word of kernel RAM, which the MPU
 * forbids. The kernel must fault this process alone, log a report and apply
 * its restart policy; other processes keep running.
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/alarm.h"

#define LIFE_MS 12

/* Start of kernel RAM on mps2-an385 (boards/mps2-an385/layout.ld). */
#define KERNEL_RAM ((volatile uint32_t *)0x20000000u)

int main(void)
{
    tock_alarm_sleep_ms(LIFE_MS);
    printf("crasher: reading kernel RAM at %p\n", (void *)KERNEL_RAM);
    fflush(stdout);
    uint32_t stolen = *KERNEL_RAM;
    printf("crasher: read %08lx: memory protection FAILED\n", (unsigned long)stolen);
    return 1;
}
