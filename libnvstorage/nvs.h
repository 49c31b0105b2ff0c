/*
 * libnvstorage core: an app's own persistent region on the isolated
 * nonvolatile storage driver (Tock driver 0x50004).
 *
 * Every app with a storage write id owns one region of fixed size,
 * allocated by the kernel on first use and kept across reboots. This module
 * is the only code that speaks the driver's ABI (commands, allow buffers,
 * upcalls); the other modules (nvs_posix.h, nvs_stdio.h, nvs_record.h) are
 * built on its synchronous calls.
 *
 * Contract
 *  - Called by apps from main-line code. The synchronous calls sleep in
 *    yield-wait-for until the kernel reports completion (never a busy loop)
 *    and leave every other queued upcall queued; they must not be called
 *    from inside an upcall or an nvs_*_async callback (that would nest a
 *    yield).
 *  - One operation at a time per app: while an asynchronous operation is in
 *    flight, every other call that needs the kernel returns NVS_ERR_BUSY.
 *  - Buffers are shared with the kernel only for the duration of one
 *    operation and unshared before its result is reported.
 *  - Nothing here allocates memory. Offsets are 64-bit as in the driver ABI;
 *    this kernel refuses an offset with a nonzero upper word (NVS_ERR_INVAL).
 *  - A write reported done is on the chip (the kernel's promise).
 *
 * Errors: every function returns NVS_OK (0) or a negative nvs_err value;
 * nvs_strerror() turns one into text.
 */
#ifndef LIBNVSTORAGE_NVS_H
#define LIBNVSTORAGE_NVS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/tock_abi.h"

/* Kernel error codes come back negated; the library's own start at
 * NVS_LIB_ERR_BASE so the two ranges never meet. */
#define NVS_LIB_ERR_BASE 2000

typedef enum {
    NVS_OK = 0,
    /* Reported by the kernel (TRD104 error codes). */
    NVS_ERR_FAIL = -TOCK_EFAIL,               /* the chip or the kernel failed */
    NVS_ERR_BUSY = -TOCK_EBUSY,               /* an operation is already pending */
    NVS_ERR_ALREADY = -TOCK_EALREADY,         /* already in that state */
    NVS_ERR_OFF = -TOCK_EOFF,                 /* device powered off */
    NVS_ERR_RESERVE = -TOCK_ERESERVE,         /* no (or empty) buffer shared */
    NVS_ERR_INVAL = -TOCK_EINVAL,             /* outside the region */
    NVS_ERR_SIZE = -TOCK_ESIZE,               /* size rejected */
    NVS_ERR_CANCEL = -TOCK_ECANCEL,           /* buffer withdrawn mid-operation */
    NVS_ERR_NOMEM = -TOCK_ENOMEM,             /* no room left for a region */
    NVS_ERR_NOSUPPORT = -TOCK_ENOSUPPORT,     /* no storage permission */
    NVS_ERR_NODEVICE = -TOCK_ENODEVICE,       /* driver not in this kernel */
    NVS_ERR_UNINSTALLED = -TOCK_EUNINSTALLED, /* driver removed */
    NVS_ERR_NOACK = -TOCK_ENOACK,             /* device did not acknowledge */
    NVS_ERR_BADRVAL = -TOCK_EBADRVAL,         /* kernel answered with a wrong variant */
    /* The library's own. */
    NVS_ERR_ARG = -(NVS_LIB_ERR_BASE + 1),       /* NULL pointer or bad argument */
    NVS_ERR_PAST_END = -(NVS_LIB_ERR_BASE + 2),  /* offset beyond the end of the region */
    NVS_ERR_NO_SPACE = -(NVS_LIB_ERR_BASE + 3),  /* write at the end: no room left */
    NVS_ERR_SHORT = -(NVS_LIB_ERR_BASE + 4),     /* kernel moved fewer bytes than asked */
    NVS_ERR_NO_RECORD = -(NVS_LIB_ERR_BASE + 5), /* no valid atomic record stored */
    NVS_ERR_UNKNOWN = -(NVS_LIB_ERR_BASE + 6),   /* kernel error code not in TRD104 */
    /* The key-value store's (nvs_kv.h); NO_SPACE above also means "store full". */
    NVS_ERR_NOT_FOUND = -(NVS_LIB_ERR_BASE + 7),      /* no such key (or value index) */
    NVS_ERR_KEY_TOO_LONG = -(NVS_LIB_ERR_BASE + 8),   /* key longer than NVS_KV_KEY_MAX */
    NVS_ERR_VALUE_TOO_LONG = -(NVS_LIB_ERR_BASE + 9), /* value longer than NVS_KV_VALUE_MAX */
    NVS_ERR_CORRUPT = -(NVS_LIB_ERR_BASE + 10),       /* stored bytes fail their checks */
} nvs_err;

/* Text for an nvs_err value (never NULL; unknown values get a generic text). */
const char *nvs_strerror(int err);

/* The nvs_err for a kernel status code (TOCK_SUCCESS -> NVS_OK). */
int nvs_from_tock(uint32_t status);

/* The errno value closest to an nvs_err (for the stdio layer): PAST_END ->
 * ENXIO as AIX's /dev/nvram, NO_SPACE -> ENOSPC, NOSUPPORT -> EACCES, ... */
int nvs_to_errno(int err);

/* ---- Synchronous calls (may block: sleep until the kernel answers). ---- */

/* Is driver 0x50004 in this kernel? NVS_OK or NVS_ERR_NODEVICE. Says nothing
 * about permission. Does not block. */
int nvs_exists(void);

/* *size = bytes in this app's region; allocates the region on first use.
 * The size never changes while the app runs, so after the first success
 * the answer is remembered and no kernel call is made.
 * Errors: ARG (size NULL), NOSUPPORT (no storage permission), NOMEM (no
 * room for a new region), BUSY, FAIL, NODEVICE. */
int nvs_size(uint64_t *size);

/* Read exactly len bytes at offset into buf. len 0 succeeds at once.
 * Errors: ARG (buf NULL with len > 0), INVAL (any byte outside the region),
 * NOSUPPORT (no read permission), SHORT, BUSY, FAIL, NODEVICE. */
int nvs_read(uint64_t offset, void *buf, size_t len);

/* Write exactly len bytes from buf at offset; on NVS_OK they are on the
 * chip. len 0 succeeds at once. Errors as nvs_read (NOSUPPORT: no modify
 * permission). */
int nvs_write(uint64_t offset, const void *buf, size_t len);

/* ---- Asynchronous calls (never block). ---- */

/* Callbacks run inside a yield of the app (tock_yield_wait() or any library
 * call that yields for something else), once per accepted operation. The
 * buffer is already unshared when they run, and a new operation may be
 * started from inside them. */
typedef void nvs_size_fn(int err, uint64_t size, void *ctx);
typedef void nvs_done_fn(int err, size_t moved, void *ctx);

/* Start the operation; on NVS_OK the callback runs later with the result
 * (err NVS_OK and the size / bytes moved, or the kernel's error). On any
 * other return nothing was started and the callback will not run.
 * buf must stay valid and untouched until the callback.
 * Errors: ARG (cb NULL, buf NULL, len 0), BUSY (an operation is in
 * flight), NOSUPPORT, NODEVICE, and the kernel's refusals. */
int nvs_size_async(nvs_size_fn *cb, void *ctx);
int nvs_read_async(uint64_t offset, void *buf, size_t len, nvs_done_fn *cb, void *ctx);
int nvs_write_async(uint64_t offset, const void *buf, size_t len, nvs_done_fn *cb, void *ctx);

/* True while an asynchronous operation is in flight. Does not block. */
bool nvs_busy(void);

#endif /* LIBNVSTORAGE_NVS_H */
