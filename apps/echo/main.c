/*
 * echo: exercises console input (driver 0x1, command 2 read and command 3
 * abort). First a synchronous read of LINE bytes, printed back; then a
 * read of up to MORE bytes that it aborts after a short sleep, printing the
 * status and the bytes that had arrived by then.
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/alarm.h"
#include "userland/console.h"
#include "userland/syscall.h"

#define LINE    6 /* "hello\n" */
#define MORE    16
#define WAIT_MS 20

static char buf[MORE + 1];

int main(void)
{
    size_t got = 0;
    int rc = tock_console_read(buf, LINE, &got);

    buf[got] = '\0';
    if (got > 0 && buf[got - 1] == '\n')
        buf[got - 1] = '\0';
    printf("echo: read status %d, %u bytes: '%s'\n", rc, (unsigned)got, buf);

    /* A read that cannot complete: fewer bytes than asked will come. */
    tock_allow_rw(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, buf, MORE);
    if (!tock_is_success(tock_command(DRIVER_CONSOLE, CONSOLE_CMD_READ, MORE, 0))) {
        printf("echo: second read refused\n");
        return 1;
    }
    tock_alarm_sleep_ms(WAIT_MS);
    tock_command(DRIVER_CONSOLE, CONSOLE_CMD_ABORT_READ, 0, 0);
    tock_event_t ev = tock_yield_wait_for(DRIVER_CONSOLE, CONSOLE_UPCALL_READ);
    tock_allow_rw(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, NULL, 0);
    buf[ev.arg1 <= MORE ? ev.arg1 : MORE] = '\0';
    printf("echo: abort status %lu, %lu bytes: '%s'\n", (unsigned long)ev.arg0,
           (unsigned long)ev.arg1, buf);
    return 0;
}
