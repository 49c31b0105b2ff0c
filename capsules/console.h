/*
 * Console capsule, driver 0x1 (Tock's console ABI).
 *
 *  command 1 (len): write the first len bytes of read-only allow 1; upcall 1
 *                   (bytes written). BUSY if no buffer is allowed.
 *  command 2 (len): read len bytes (at most the buffer's length) into
 *                   read-write allow 1; upcall 2 (status, bytes read) once
 *                   they are all in. One reader at a time: BUSY if another
 *                   process is reading or no buffer is allowed. Bytes that
 *                   arrive while nobody reads wait in a small ring
 *                   (CONSOLE_RX_RING bytes; more are dropped and counted)
 *                   and go to the next read first.
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
#include "kernel/ring.h"

#define CONSOLE_RX_RING 64

struct console {
    struct driver drv;
    struct uart *uart;
    proc_id_t reader; /* process with a read in progress */
    uint32_t read_want, read_got;
    struct ring early; /* input that arrived with no read in progress */
    uint8_t early_buf[CONSOLE_RX_RING];
};

void console_init(struct console *c, struct uart *uart);

#endif /* CAPSULES_CONSOLE_H */
