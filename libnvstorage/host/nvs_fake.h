/*
 * nvs_fake: a RAM-backed stand-in for the kernel-facing calls of nvs.h
 * (nvs_exists, nvs_size, nvs_read, nvs_write), for host tests of the
 * library's logic (posix, stdio cookie, records). Not built into apps:
 * app.mk archives only the .c files directly in libnvstorage/, not this
 * folder.
 *
 * Faults it can inject:
 *  - fail: the next matching call returns a chosen error, touching nothing;
 *  - power cut: a write budget in bytes; the write that exhausts it applies
 *    only its first `budget` bytes and fails, and every later write fails
 *    without effect until nvs_fake_reset or nvs_fake_power_on.
 * And a guard: with nvs_fake_guard set, a read or write that touches a byte
 * outside the guarded window aborts the program (a module that must stay
 * inside its part of the region, like the key-value store, is caught at
 * once, under a fuzzer too).
 * Single-threaded test code only.
 */
#ifndef LIBNVSTORAGE_HOST_NVS_FAKE_H
#define LIBNVSTORAGE_HOST_NVS_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NVS_FAKE_MAX_SIZE 4096u
#define NVS_FAKE_NO_CUT   UINT64_MAX

enum nvs_fake_call {
    NVS_FAKE_ANY,
    NVS_FAKE_SIZE,
    NVS_FAKE_READ,
    NVS_FAKE_WRITE,
};

struct nvs_fake {
    uint8_t mem[NVS_FAKE_MAX_SIZE];
    uint64_t size; /* region bytes (<= NVS_FAKE_MAX_SIZE) */
    int size_err;  /* what nvs_size answers when not NVS_OK */
    enum nvs_fake_call fail_on;
    int fail_err;           /* 0: no failure armed */
    uint64_t write_budget;  /* bytes before the cut, or NVS_FAKE_NO_CUT */
    bool cut;               /* the power is off */
    unsigned reads, writes; /* calls that reached the memory */
    uint64_t bytes_written;
    bool guard;                  /* accesses must stay in [guard_lo, guard_hi) */
    uint64_t guard_lo, guard_hi;
};

extern struct nvs_fake nvs_fake;

/* Fresh region of `size` bytes, all zero, no faults. */
void nvs_fake_reset(uint64_t size);
/* The next call of kind `on` fails with err (an nvs_err). */
void nvs_fake_fail_next(enum nvs_fake_call on, int err);
/* Cut the power after `budget` more bytes have been written. */
void nvs_fake_cut_after(uint64_t budget);
/* Power back: writes work again, memory kept (a reboot). */
void nvs_fake_power_on(void);
/* Abort on any access outside [lo, hi) (until nvs_fake_reset). */
void nvs_fake_guard(uint64_t lo, uint64_t hi);

#endif /* LIBNVSTORAGE_HOST_NVS_FAKE_H */
