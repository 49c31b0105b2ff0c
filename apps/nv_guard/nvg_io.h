/*
 * nvg_io: blocking get-size / read / write on the isolated storage driver
 * (0x50004), straight on the system call ABI.
 *
 * nv_guard deliberately does not use libnvstorage: it is the witness for
 * the kernel's isolation and must not share code with what it checks.
 * Each call allows the buffer, issues the command, waits for its upcall
 * with yield-wait-for, and unallows. Returns TOCK_SUCCESS or a TOCK_E*
 * code (from the command or from the upcall).
 */
#ifndef APPS_NV_GUARD_NVG_IO_H
#define APPS_NV_GUARD_NVG_IO_H

#include <stddef.h>
#include <stdint.h>

int nvg_exists(void);
int nvg_size(uint32_t *size);
int nvg_read(uint32_t offset, void *buf, size_t len);
int nvg_write(uint32_t offset, const void *buf, size_t len);

#endif /* APPS_NV_GUARD_NVG_IO_H */
