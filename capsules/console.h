/*
 * Console capsule, driver 0x1 (Tock's console ABI).
 *
 *  command 1 (len): write the first len bytes of read-only allow 1; upcall 1
 *                   (bytes written). BUSY if no buffer is allowed.
 *  command 2 (len): read up to len bytes into read-write allow 1; upcall 2
 *                   (status, bytes read). One reader at a time: BUSY if
 *                   another process is reading or no buffer is allowed.
 *  command 3:       abort the caller's read: upcall 2 (CANCEL, bytes read).
 *
 * Writes go to the UART in one piece before the command returns, so one
 * process's write is never split by another's. Board: console_init() then
 * list &console.drv in the driver table.
 */
#ifndef CAPSULES_CONSOLE_H
#define CAPSULES_CONSOLE_H

#include <stdint.h>

#include "hal/uart.h"
#include "kernel/driver.h"

struct console {
    struct driver drv;
    struct uart *uart;
    proc_id_t reader; /* process with a read in progress */
    uint32_t read_want, read_got;
};

void console_init(struct console *c, struct uart *uart);

#endif /* CAPSULES_CONSOLE_H */
