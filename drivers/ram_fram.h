/*
 * ram_fram: an nvram device backed by a RAM buffer, for host tests and for
 * boards without FRAM. Same asynchronous contract as the real driver: start
 * functions only check and record the request; a deferred call moves the
 * bytes and runs the client's callback.
 *
 * Fault injection (for tests of the layers above, e.g. the storage capsule):
 *  - fail the Nth operation: ram_fram_fail_op(f, n) makes the nth operation
 *    started from now on (1 = the next one; reads, writes and flushes all
 *    count) complete with NVRAM_EIO and count 0, moving no byte. One shot.
 *  - power cut: ram_fram_cut_power_after(f, n) makes the next write put only
 *    its first n bytes on the medium (the rest keep their old contents).
 *    That write completes with NVRAM_EIO and count n, and the device then
 *    stays off: every later read/write/flush start returns NVRAM_EIO at once
 *    (nothing starts, no callback) until ram_fram_power_on(). The buffer
 *    keeps what reached it, so a test can "reboot" the layer above over the
 *    same memory and check what survived.
 *  - bit flips: ram_fram_flip_on_read(f, addr, mask) XORs mask into the byte
 *    at addr in the data every read returns that covers addr; the stored
 *    byte is untouched. Up to RAM_FRAM_MAX_FLIPS entries, until cleared.
 *
 * Called in kernel thread context (or a host test's single thread).
 */
#ifndef DRIVERS_RAM_FRAM_H
#define DRIVERS_RAM_FRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/nvram.h"
#include "kernel/deferred.h"

#define RAM_FRAM_MAX_FLIPS 4

enum ram_fram_op {
    RAM_FRAM_IDLE,
    RAM_FRAM_READ,
    RAM_FRAM_WRITE,
    RAM_FRAM_FLUSH,
};

struct ram_fram_flip {
    uint32_t addr;
    uint8_t mask; /* 0: entry unused */
};

struct ram_fram {
    struct nvram nv; /* first: the HAL view */
    uint8_t *mem;
    /* The operation in flight. */
    enum ram_fram_op op;
    uint8_t *dst;
    const uint8_t *src;
    uint32_t addr;
    size_t len;
    bool doomed; /* this operation is the one chosen to fail */
    struct deferred_call step;
    /* Fault injection state. */
    uint32_t fail_countdown; /* 0: off */
    bool cut_armed;
    size_t cut_after;
    bool powered;
    struct ram_fram_flip flips[RAM_FRAM_MAX_FLIPS];
    /* Statistics for tests. */
    uint32_t ops_started;
    uint32_t ops_completed;
};

/* Use mem[0..size) as the medium (contents kept). Powered, no faults.
 * f must outlive the kernel's deferred list (static storage); initialising
 * the same object again is allowed and resets it. */
void ram_fram_init(struct ram_fram *f, uint8_t *mem, uint32_t size);

void ram_fram_fail_op(struct ram_fram *f, uint32_t nth);
void ram_fram_cut_power_after(struct ram_fram *f, size_t bytes);
void ram_fram_power_on(struct ram_fram *f);
bool ram_fram_powered(const struct ram_fram *f);
/* false when all RAM_FRAM_MAX_FLIPS entries are in use or mask is 0. */
bool ram_fram_flip_on_read(struct ram_fram *f, uint32_t addr, uint8_t mask);
void ram_fram_clear_faults(struct ram_fram *f);

#endif /* DRIVERS_RAM_FRAM_H */
