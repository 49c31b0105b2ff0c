/*
 * alarm_far: arms alarms far ahead, one after the other (2^32 - 1 ticks, the
 * farthest there is, then 2^31 + 1000, just beyond half the counter), waits for
 * each with yield-wait-for and checks that it came with the right instant
 * and at most LATE_MAX_TICKS late. Prints one line per alarm with its
 * lateness in ticks; exits 0 if all were on time, 1 otherwise.
 *
 * Meant for tests/qemu/test_alarm_long.py under `-icount shift=0,sleep=off`
 * (virtual time jumps over idle periods, so 171 s of ticks pass in a
 * moment as long as the kernel really sleeps), beside alarm_bystander,
 * whose system-call throughput must not suffer from these alarms. It
 * prints nothing before arming the first one, so a bystander loaded after
 * it starts counting with the alarm already armed.
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/alarm.h"
#include "userland/syscall.h"

#define HALF_COUNTER   0x80000000u
#define LATE_MAX_TICKS 1000u /* 40,000 instructions */
static const uint32_t far_dt[] = {UINT32_MAX, HALF_COUNTER + 1000u};
#define FAR_COUNT (sizeof(far_dt) / sizeof(far_dt[0]))

int main(void)
{
    int failed = 0;

    for (unsigned i = 0; i < FAR_COUNT; i++) {
        uint32_t instant = 0;
        uint32_t dt = far_dt[i];

        if (tock_alarm_set_relative(dt, &instant) != TOCK_SUCCESS) {
            printf("alarm_far: set %lu failed\n", (unsigned long)dt);
            return 1;
        }
        tock_event_t ev = tock_yield_wait_for(DRIVER_ALARM, ALARM_UPCALL_FIRED);
        /* Modulo 2^32 an early upcall shows as a huge lateness (except
         * within LATE_MAX_TICKS of arming for dt near 2^32: the test
         * checks the virtual time that passed for that). */
        uint32_t late = ev.arg0 - instant;
        int bad = late > LATE_MAX_TICKS || ev.arg1 != instant;
        printf("alarm_far: dt %lu late %lu%s\n", (unsigned long)dt, (unsigned long)late,
               bad ? " BAD" : "");
        failed |= bad;
    }
    printf("alarm_far: %s\n", failed ? "FAILED" : "ok");
    return failed;
}
