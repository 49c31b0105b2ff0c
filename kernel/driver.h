/*
 * driver: what the kernel offers to capsules (system call drivers), and what
 * a capsule declares to the kernel.
 *
 * A capsule fills in a `struct driver` and the board lists it in its driver
 * table. The kernel core owns subscribe and allow entirely: it validates the
 * arguments, keeps upcall and buffer slots in the process's grant for this
 * driver and implements the swap semantics of TRD104. A capsule only sees
 * commands, and reads its buffers and schedules upcalls through the calls
 * below at the moment it needs them.
 *
 * Contract
 *  - Everything here runs in kernel thread context (syscall handling, the
 *    kernel loop, deferred calls, HAL callbacks). Nothing here blocks.
 *  - A capsule names a process only by proc_id_t. An id goes stale when its
 *    process exits, faults or restarts; every call below then fails cleanly
 *    (NULL / false / error), so a capsule finishing an old operation for a
 *    process that is gone simply drops the result.
 *  - Buffers returned by allow_*_get() are valid until the capsule returns
 *    to the kernel: fetch them again after every asynchronous step (the
 *    process may have re-allowed, exited or faulted in between).
 */
#ifndef KERNEL_DRIVER_H
#define KERNEL_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/tock_abi.h"

/* A process identity: slot index in the low byte, generation above it.
 * PROC_ID_NONE is never a live process. */
typedef uint32_t proc_id_t;
#define PROC_ID_NONE 0u

/* Process slots: a capsule that keeps a small per-process table outside the
 * grants (e.g. to find armed alarms without walking every process) indexes
 * it by proc_id_slot(), which is always below PROC_SLOTS. */
#define PROC_SLOTS 8
static inline unsigned proc_id_slot(proc_id_t pid)
{
    return pid & 0xffu;
}

/* A command's answer, returned in registers (r0:r1 under the AAPCS): the
 * return variant in the low word, its one value word in the high word. A
 * command answers Failure (error code), Success or Success with u32; the
 * kernel copies r0 always and r1 only for the variants that use it. */
typedef uint64_t command_ret_t;

#define COMMAND_RET(variant, value) ((command_ret_t)(variant) | (command_ret_t)(value) << 32)

static inline command_ret_t sys_success(void)
{
    return COMMAND_RET(RET_SUCCESS, 0);
}

static inline command_ret_t sys_success_u32(uint32_t v)
{
    return COMMAND_RET(RET_SUCCESS_U32, v);
}

static inline command_ret_t sys_failure(uint32_t error)
{
    return COMMAND_RET(RET_FAILURE, error);
}

/* A system call return value spelled out: r0 = variant, then up to three
 * words (the kernel's own calls; host tests unpack a command_ret_t). */
struct syscall_ret {
    uint32_t variant;
    uint32_t r1, r2, r3;
};

static inline struct syscall_ret command_ret_unpack(command_ret_t r)
{
    return (struct syscall_ret){(uint32_t)r, (uint32_t)(r >> 32), 0, 0};
}

struct driver;

/* Command handler: cmd 0 ("exists") is answered by the kernel and never
 * reaches the capsule. Unknown commands must return NOSUPPORT. */
typedef command_ret_t (*driver_command_fn)(const struct driver *drv, proc_id_t pid, uint32_t cmd,
                                           uint32_t arg1, uint32_t arg2);

struct driver {
    uint32_t number;      /* driver number, e.g. DRIVER_NVSTORAGE */
    uint8_t num_upcalls;  /* valid subscribe numbers: 0 .. num_upcalls-1 */
    uint8_t num_allow_ro; /* valid read-only allow numbers */
    uint8_t num_allow_rw; /* valid read-write allow numbers */
    uint16_t grant_size;  /* bytes of per-process capsule state (zeroed) */
    driver_command_fn command;
    void *ctx; /* the capsule instance */
};

/* A buffer shared by a process through allow. len 0 means "none". */
struct allow_buf {
    uint8_t *ptr;
    uint32_t len;
};

/* Per-process capsule state for drv, allocated and zeroed on first use from
 * the top of the process's RAM block. NULL if pid is stale or the process's
 * block has no room (report NOMEM to it). */
void *grant_get(const struct driver *drv, proc_id_t pid);

/* Same, but never allocates: NULL if none exists yet. */
void *grant_peek(const struct driver *drv, proc_id_t pid);

/* The buffer the process currently shares through read-write / read-only
 * allow number num of drv. False (and *out zeroed) if pid is stale; a
 * process that never allowed gets true with len 0. */
bool allow_rw_get(const struct driver *drv, proc_id_t pid, uint32_t num, struct allow_buf *out);
bool allow_ro_get(const struct driver *drv, proc_id_t pid, uint32_t num, struct allow_buf *out);

/* Queue upcall num of drv for pid with three arguments. Returns false if
 * pid is stale or its upcall queue is full (the event is dropped and
 * counted). Delivery follows TRD104 (null subscription: dropped on yield). */
bool upcall_schedule(const struct driver *drv, proc_id_t pid, uint32_t num, uint32_t a0,
                     uint32_t a1, uint32_t a2);

/* True if pid names a process that is alive now. */
bool proc_is_live(proc_id_t pid);

/* Iterate over live processes: start with *cursor = 0; returns PROC_ID_NONE
 * when done. */
proc_id_t proc_next(unsigned *cursor);

/* Storage identity and permissions of a process, decided at load time by the
 * board's policy (from TBF Storage Permissions / ShortId headers, or fixed). */
#define STORAGE_MAX_IDS 8
struct storage_perms {
    uint32_t write_id; /* owner id of the region it allocates */
    uint32_t read_ids[STORAGE_MAX_IDS];
    uint32_t modify_ids[STORAGE_MAX_IDS];
    uint8_t num_read;   /* regions it may read: owners listed */
    uint8_t num_modify; /* regions it may write: owners listed */
    bool has_write_id;  /* may own (allocate) a region */
};

/* NULL if pid is stale. */
const struct storage_perms *proc_storage_perms(proc_id_t pid);

/* The process's package name, for logs only: "?" (a LOG_TEXT, kernel/log.h)
 * if the id is stale. */
const char *proc_name(proc_id_t pid);

#endif /* KERNEL_DRIVER_H */
