/*
 * wait_for_256: the upcall-number bound of yield-wait-for. The kernel keeps
 * a queued event's upcall number in one byte of its key, so 256 is the
 * first number that a truncating compare would confuse with upcall 0.
 * First the alarm's event (upcall 0, queued at once by an alarm due now) is
 * taken with its own number, which must work; then, with such an event
 * queued again, the app waits for upcall 256, which the alarm does not
 * have: it must block for good and never print "returned".
 * (tests/qemu/test_kernel.py)
 */
#include <stdio.h>

#include "userland/alarm.h"
#include "userland/syscall.h"

#define PAST_KEY_BYTE 256u

int main(void)
{
    uint32_t expires = 0;
    tock_event_t ev;

    /* An alarm due at once queues its event; take it with the right
     * number to show that this path delivers. */
    tock_alarm_set_relative(0, &expires);
    ev = tock_yield_wait_for(DRIVER_ALARM, ALARM_UPCALL_FIRED);
    printf("wait_for_256: upcall 0 returned expiry %s\n", ev.arg1 == expires ? "ok" : "WRONG");

    tock_alarm_set_relative(0, &expires);
    printf("wait_for_256: waiting for upcall %u\n", PAST_KEY_BYTE);
    ev = tock_yield_wait_for(DRIVER_ALARM, PAST_KEY_BYTE);
    printf("wait_for_256: returned (arg1 %lu)\n", (unsigned long)ev.arg1);
    return 1;
}
