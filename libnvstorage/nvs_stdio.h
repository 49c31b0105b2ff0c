/*
 * nvs_stdio: the app's region as a C stdio stream (newlib's fopencookie), so
 * an app can fprintf, fscanf, fread, fwrite, fseek and ftell its storage.
 *
 * The stream is a window onto the whole region: position 0 is the region's
 * first byte, the end of the region is end of file, and the file never
 * grows or shrinks. Reading at the end gives EOF; writing at the end fails
 * with ENOSPC; seeking outside [0, size] fails with EINVAL. Mode "w" does
 * not erase anything (there is nothing to truncate); mode "a" is refused.
 * Failing calls set errno (nvs_to_errno()).
 *
 * stdio buffers writes (BUFSIZ bytes, allocated by newlib on first use from
 * the app's heap); they reach the chip on fflush, fclose, a seek, or when
 * the buffer fills. As for any stdio stream opened for update, put an
 * fflush or fseek between a write and a following read.
 *
 * Main-line code only: every stream operation that reaches the region
 * blocks in the synchronous calls of nvs.h. One stream at a time is the
 * sensible use (all streams share the one region and its single
 * in-flight operation).
 *
 * The cookie functions are declared here too, in a host-friendly form
 * (64-bit offsets), so they can be tested without the kernel.
 */
#ifndef LIBNVSTORAGE_NVS_STDIO_H
#define LIBNVSTORAGE_NVS_STDIO_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Open the region as a stream. mode: "r", "r+", "w", "w+" (with an optional
 * "b"). Asks the kernel for the region size first, so a missing permission
 * shows here. Returns the stream, or NULL with errno set and, if err is not
 * NULL, *err = the nvs_err (ARG for a bad mode, NOSUPPORT, NOMEM: no heap
 * or no region, ...). Blocks. Close with fclose (flushes, frees). */
FILE *nvs_fopen(const char *mode, int *err);

/* ---- The cookie behind the stream. ---- */

struct nvs_cookie {
    uint64_t pos; /* the stream's position in the region */
};

/* stdio's read: up to n bytes at pos (nvs_pread); advances pos. Returns the
 * bytes read, 0 at the end, -1 with errno set on error. Blocks. */
ssize_t nvs_cookie_read(void *cookie, char *buf, size_t n);

/* stdio's write: up to n bytes at pos (nvs_pwrite); advances pos. Returns
 * the bytes written (short at the end), -1 with errno (ENOSPC at the end).
 * Blocks. */
ssize_t nvs_cookie_write(void *cookie, const char *buf, size_t n);

/* stdio's seek: whence SEEK_SET, SEEK_CUR or SEEK_END; *off in, the new
 * position out. Positions outside [0, region size] fail with EINVAL and
 * leave pos alone. Returns 0 or -1 with errno. May block (SEEK_END asks the
 * size once). */
int nvs_cookie_seek(void *cookie, int64_t *off, int whence);

#endif /* LIBNVSTORAGE_NVS_STDIO_H */
