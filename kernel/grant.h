/*
 * grant: the kernel core's view of per-(driver, process) grant memory
 * (capsules use the kernel/driver.h calls instead), and the board's driver
 * table looked up by number in O(1). Used by the syscall layer for
 * subscribe/allow and by the upcall queue.
 */
#ifndef KERNEL_GRANT_H
#define KERNEL_GRANT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/driver.h"
#include "kernel/hotpath.h"
#include "kernel/process.h"

struct upcall_slot {
    uint32_t fn; /* 0: the null upcall */
    uint32_t appdata;
};

/* Build the lookup table from the board's driver list (kernel_run does it
 * before any process runs). */
void driver_table_build(const struct kernel_config *cfg);

int driver_index_slow(uint32_t number); /* driver_index() past its first probe */

/* A driver number's first slot in the lookup table (kernel/hotpath.h): its
 * low bits, where Tock's driver numbers differ (0x0 alarm, 0x1 console,
 * 0x50004 storage, ...); one instruction in the fast path. */
static inline unsigned driver_hash(uint32_t number)
{
    return number & DRIVER_HASH_MASK;
}

/* Index of a driver number in the board's table, or -1: one probe in the
 * common case (inline: every wait-for and driver call asks it). */
static inline int driver_index(uint32_t number)
{
    unsigned h = driver_hash(number);

    /* A free slot holds grant.c's no_driver and index 0xff, read as -1
     * here: a number that matches no_driver's is no driver's. */
    if (kernel_fast.driver_hash[h]->number == number)
        return (int8_t)kernel_fast.driver_index[h];
    return driver_index_slow(number);
}

/* Index of a driver object in the board's table, or -1: one probe in the
 * common case (inline: every upcall a capsule schedules asks it). */
int driver_index_of_slow(const struct driver *drv);
static inline int driver_index_of(const struct driver *drv)
{
    unsigned h = driver_hash(drv->number);

    if (kernel_fast.driver_hash[h] == drv)
        return kernel_fast.driver_index[h];
    return driver_index_of_slow(drv);
}

/* The upcall slots / allow slots of driver index d for p; allocated on
 * demand when alloc is true. NULL if absent (or no memory to allocate). */
struct upcall_slot *grant_upcalls(struct process *p, unsigned d, bool alloc);
struct allow_buf *grant_allows(struct process *p, unsigned d, bool read_write, bool alloc);

#endif /* KERNEL_GRANT_H */
