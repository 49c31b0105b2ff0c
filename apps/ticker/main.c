/*
 * ticker: a well-behaved bystander. Sleeps on the alarm and prints
 * "ticker: tick N" TICKS times, then exits 0, so tests can see that it
 * kept running while another process misbehaved.
 */
#include <stdio.h>

#include "userland/alarm.h"

#define TICKS   20
#define TICK_MS 5

int main(void)
{
    for (int i = 1; i <= TICKS; i++) {
        if (tock_alarm_sleep_ms(TICK_MS) != 0) {
            printf("ticker: alarm failed\n");
            return 1;
        }
        printf("ticker: tick %d\n", i);
    }
    printf("ticker: done\n");
    return 0;
}
