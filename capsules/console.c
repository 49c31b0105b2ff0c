/* Console capsule: see console.h. */
#include "capsules/console.h"

#include <stddef.h>

#define CONSOLE_CMD_WRITE    1
#define CONSOLE_CMD_READ     2
#define CONSOLE_CMD_ABORT    3
#define CONSOLE_UPCALL_WRITE 1
#define CONSOLE_UPCALL_READ  2
#define CONSOLE_ALLOW        1 /* read-only allow 1: write; read-write 1: read */

static void finish_read(struct console *c, uint32_t status)
{
    proc_id_t pid = c->reader;

    c->reader = PROC_ID_NONE;
    upcall_schedule(&c->drv, pid, CONSOLE_UPCALL_READ, status, c->read_got, 0);
}

/* Deliver bytes to the reader's buffer; finish the read when it is full.
 * Returns false if the reader is gone. */
static bool deliver(struct console *c, const uint8_t *bytes, uint32_t n)
{
    struct allow_buf buf;
    uint32_t want;

    if (!allow_rw_get(&c->drv, c->reader, CONSOLE_ALLOW, &buf)) {
        c->reader = PROC_ID_NONE; /* the reader is gone */
        return false;
    }
    /* The buffer may have been re-allowed smaller since the read began. */
    want = c->read_want < buf.len ? c->read_want : buf.len;
    while (n-- > 0 && c->read_got < want)
        buf.ptr[c->read_got++] = *bytes++;
    if (c->read_got >= want)
        finish_read(c, TOCK_SUCCESS);
    return true;
}

static void console_rx(void *ctx, uint8_t byte)
{
    struct console *c = ctx;

    if (c->reader == PROC_ID_NONE || !deliver(c, &byte, 1))
        ring_put(&c->early, byte); /* nobody reads: keep it for the next read */
}

static command_ret_t console_command(const struct driver *drv, proc_id_t pid, uint32_t cmd,
                                     uint32_t arg1, uint32_t arg2)
{
    struct console *c = drv->ctx;
    struct allow_buf buf;

    (void)arg2;
    switch (cmd) {
    case CONSOLE_CMD_WRITE:
        allow_ro_get(drv, pid, CONSOLE_ALLOW, &buf);
        if (buf.len == 0)
            return sys_failure(TOCK_EBUSY);
        if (arg1 < buf.len)
            buf.len = arg1;
        uart_write(c->uart, buf.ptr, buf.len);
        upcall_schedule(drv, pid, CONSOLE_UPCALL_WRITE, buf.len, 0, 0);
        return sys_success();
    case CONSOLE_CMD_READ:
        allow_rw_get(drv, pid, CONSOLE_ALLOW, &buf);
        if (buf.len == 0 || arg1 == 0)
            return sys_failure(TOCK_EBUSY);
        if (c->reader != PROC_ID_NONE && proc_is_live(c->reader))
            return sys_failure(TOCK_EBUSY);
        c->reader = pid;
        c->read_want = arg1;
        c->read_got = 0;
        /* Input typed before the read goes first (the upcall comes later,
         * through the queue, even when it is all there already). */
        while (c->reader == pid && ring_count(&c->early) > 0) {
            uint8_t byte;

            ring_take(&c->early, &byte, 1);
            deliver(c, &byte, 1);
        }
        return sys_success();
    case CONSOLE_CMD_ABORT:
        if (c->reader == pid)
            finish_read(c, TOCK_ECANCEL);
        return sys_success();
    default:
        return sys_failure(TOCK_ENOSUPPORT);
    }
}

void console_init(struct console *c, struct uart *uart)
{
    c->drv = (struct driver){
        .number = DRIVER_CONSOLE,
        .num_upcalls = 3,
        .num_allow_ro = 2,
        .num_allow_rw = 2,
        .grant_size = 0,
        .command = console_command,
        .ctx = c,
    };
    c->uart = uart;
    c->reader = PROC_ID_NONE;
    ring_init(&c->early, c->early_buf, sizeof(c->early_buf));
    uart_set_rx_client(uart, console_rx, c);
}
