/*
 * nvs_posix: pread/pwrite-style access to the app's region, with the end of
 * the region treated the way a character device such as AIX's /dev/nvram
 * treats the end of its data area.
 *
 *   read  starting inside, running past the end -> the bytes up to the end
 *   read  starting exactly at the end           -> 0 (end of data)
 *   read  starting past the end                 -> NVS_ERR_PAST_END (ENXIO)
 *   write starting inside, running past the end -> the bytes that fit
 *   write starting exactly at the end           -> NVS_ERR_NO_SPACE (ENOSPC)
 *   write starting past the end                 -> NVS_ERR_PAST_END
 *
 * Called from main-line code; built on the synchronous nvs_size/nvs_read/
 * nvs_write, so every call may block (never from an upcall). Allocates
 * nothing. The region size is asked once and remembered (nvs_size).
 */
#ifndef LIBNVSTORAGE_NVS_POSIX_H
#define LIBNVSTORAGE_NVS_POSIX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The arithmetic both calls share: *n = how many of the len bytes starting
 * at off lie inside a region of `size` bytes. NVS_OK, or NVS_ERR_PAST_END
 * when off > size (*n untouched). Pure; never blocks. */
int nvs_span(uint64_t size, uint64_t off, size_t len, size_t *n);

/* Read up to len bytes at off into buf. Returns the bytes read (short at
 * the end of the region, 0 at the end) or a negative nvs_err: PAST_END,
 * ARG (buf NULL with len > 0), and the errors of nvs_size/nvs_read. Blocks. */
ssize_t nvs_pread(void *buf, size_t len, uint64_t off);

/* Write up to len bytes from buf at off; they are on the chip when this
 * returns. Returns the bytes written (short at the end of the region) or a
 * negative nvs_err: NO_SPACE (off at the end, len > 0), PAST_END, ARG, and
 * the errors of nvs_size/nvs_write. Blocks. */
ssize_t nvs_pwrite(const void *buf, size_t len, uint64_t off);

#endif /* LIBNVSTORAGE_NVS_POSIX_H */
