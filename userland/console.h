/*
 * tock_console: synchronous byte I/O over the console capsule (driver 0x1).
 *
 * Used by the newlib glue (printf, puts, getchar) and by apps that want raw
 * output. Each call shares the caller's buffer with the kernel, starts the
 * transfer and sleeps in yield-wait-for until the capsule reports it done;
 * the buffer is unshared before returning. Other upcalls stay queued.
 * Never called from an upcall (it would nest a yield).
 */
#ifndef USERLAND_CONSOLE_H
#define USERLAND_CONSOLE_H

#include <stddef.h>

#define CONSOLE_CMD_WRITE      1
#define CONSOLE_CMD_READ       2
#define CONSOLE_CMD_ABORT_READ 3
#define CONSOLE_UPCALL_WRITE   1
#define CONSOLE_UPCALL_READ    2
#define CONSOLE_ALLOW_RO_WRITE 1
#define CONSOLE_ALLOW_RW_READ  1

/* Writes all len bytes. Returns TOCK_SUCCESS or a TOCK_E* code. */
int tock_console_write(const void *buf, size_t len);

/* Waits until len bytes have arrived (or an error). *got = bytes read.
 * Returns TOCK_SUCCESS or a TOCK_E* code. */
int tock_console_read(void *buf, size_t len, size_t *got);

#endif /* USERLAND_CONSOLE_H */
