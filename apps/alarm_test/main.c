/*
 * alarm_test: sleeps ALARM_TEST_SLEEPS times for 1/ALARM_TEST_FRACTION of
 * a second each, measuring each sleep with the alarm's own counter. An alarm
 * that fires early is a bug (exit status 1); how late it fires is reported,
 * not judged. Prints "alarm_test: ok" and exits 0 when every sleep lasted at
 * least what was asked.
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/alarm.h"
#include "userland/syscall.h"

#define ALARM_TEST_SLEEPS   3u
#define ALARM_TEST_FRACTION 20u /* sleep 1/20 s = 50 ms */

int main(void)
{
    uint32_t hz = 0;
    int rc = tock_alarm_frequency(&hz);
    if (rc != TOCK_SUCCESS || hz == 0) {
        printf("alarm_test: frequency failed (status %d, %lu Hz)\n", rc, (unsigned long)hz);
        return 1;
    }
    uint32_t ask = hz / ALARM_TEST_FRACTION;
    printf("alarm_test: frequency %lu Hz, sleeping %lu ticks %u times\n", (unsigned long)hz,
           (unsigned long)ask, ALARM_TEST_SLEEPS);

    int early = 0;
    for (uint32_t i = 0; i < ALARM_TEST_SLEEPS; i++) {
        uint32_t before = 0, after = 0, fired = 0;
        tock_alarm_now(&before);
        rc = tock_alarm_sleep_ticks(ask, &fired);
        tock_alarm_now(&after);
        if (rc != TOCK_SUCCESS) {
            printf("alarm_test: sleep failed with status %d\n", rc);
            return 1;
        }
        /* Unsigned subtraction: right across a counter wrap. */
        uint32_t elapsed = after - before;
        printf("alarm_test: sleep %lu: asked %lu ticks, elapsed %lu ticks\n", (unsigned long)i + 1,
               (unsigned long)ask, (unsigned long)elapsed);
        if (elapsed < ask) {
            early = 1;
        }
    }
    rc = tock_alarm_sleep_ms(ALARM_MS_PER_SECOND / ALARM_TEST_FRACTION);
    printf("alarm_test: sleep_ms status %d\n", rc);
    if (early || rc != TOCK_SUCCESS) {
        printf("alarm_test: FAILED (%s)\n", early ? "woke early" : "sleep_ms failed");
        return 1;
    }
    printf("alarm_test: ok\n");
    return 0;
}
