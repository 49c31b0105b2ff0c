/*
 * nvs_kernel: the one place that issues driver 0x50004's commands and
 * allows (internal to libnvstorage; apps use nvs.h).
 *
 * Shared by the synchronous (nvs_sync.c) and asynchronous (nvs_async.c)
 * calls: both share a buffer and issue a command the same way and read the
 * upcall's arguments the same way; they differ only in how they wait.
 * Main-line code only; nothing here blocks.
 */
#ifndef LIBNVSTORAGE_NVS_KERNEL_H
#define LIBNVSTORAGE_NVS_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The three operations that complete through an upcall. */
enum nvs_k_op {
    NVS_K_SIZE,
    NVS_K_READ,
    NVS_K_WRITE,
};

/* The upcall (subscribe number) that reports op. */
uint32_t nvs_k_upcall(enum nvs_k_op op);

/* Share buf (reads: read-write allow, writes: read-only allow; nothing for
 * SIZE) and issue the command. On failure nothing stays shared.
 * Returns NVS_OK or an nvs_err. */
int nvs_k_start(enum nvs_k_op op, uint64_t offset, const void *buf, size_t len);

/* Unshare op's buffer (no-op for SIZE). */
void nvs_k_unshare(enum nvs_k_op op);

/* Turn a completed op's upcall arguments into a result: an nvs_err, and for
 * reads/writes a check that the kernel moved exactly `want` bytes. */
int nvs_k_result(enum nvs_k_op op, uint32_t status, uint32_t value, size_t want);

/* The asynchronous operation in flight, if any (set by nvs_async.c). */
void nvs_k_set_busy(bool busy);

/* Remember the region size once the kernel has told it. */
void nvs_k_remember_size(uint64_t size);

#endif /* LIBNVSTORAGE_NVS_KERNEL_H */
