/*
 * Console driver calls. Writes loop until the capsule has taken every byte,
 * since a capsule may write fewer bytes than asked.
 */
#include "userland/console.h"
#include "userland/syscall.h"

int tock_console_write(const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        int rc = tock_allow_ro_status(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, p, len);
        if (rc == TOCK_SUCCESS) {
            rc = tock_command_ok(DRIVER_CONSOLE, CONSOLE_CMD_WRITE, len, 0);
        }
        if (rc != TOCK_SUCCESS) {
            tock_allow_ro(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, NULL, 0);
            return rc;
        }
        tock_event_t ev = tock_yield_wait_for(DRIVER_CONSOLE, CONSOLE_UPCALL_WRITE);
        size_t done = ev.arg0;
        if (done == 0 || done > len) {
            /* Nothing moved, or a nonsense count: stop rather than spin. */
            tock_allow_ro(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, NULL, 0);
            return TOCK_EFAIL;
        }
        p += done;
        len -= done;
    }
    tock_allow_ro(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, NULL, 0);
    return TOCK_SUCCESS;
}

int tock_console_read(void *buf, size_t len, size_t *got)
{
    *got = 0;
    int rc = tock_allow_rw_status(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, buf, len);
    if (rc == TOCK_SUCCESS) {
        rc = tock_command_ok(DRIVER_CONSOLE, CONSOLE_CMD_READ, len, 0);
    }
    if (rc == TOCK_SUCCESS) {
        tock_event_t ev = tock_yield_wait_for(DRIVER_CONSOLE, CONSOLE_UPCALL_READ);
        rc = (int)ev.arg0;
        *got = ev.arg1 <= len ? ev.arg1 : len;
    }
    tock_allow_rw(DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, NULL, 0);
    return rc;
}
