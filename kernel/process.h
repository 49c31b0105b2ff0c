/*
 * process: the kernel's process table and each process's memory.
 *
 * A process is one TBF app image run from flash with its own RAM block:
 *
 *   ram_start                                              ram_end
 *   | stack | data, bss | heap ... |  (unreachable)  | grants |
 *   ^ accessible to the process up to app_break      ^ grant_start
 *
 * The MPU lets the process reach only its flash image and
 * [ram_start, app_break) (rounded up to the MPU's subregion granule); the
 * grant area grows down from ram_end and is reachable by the kernel only.
 * Used by the kernel core (syscall, grant, upcall, scheduler); capsules see
 * processes only through kernel/driver.h.
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/driver.h"
#include "kernel/hotpath.h"
#include "kernel/kernel.h"
#include "kernel/tbf.h"

#define PROC_MAX           PROC_SLOTS /* process slots (kernel/driver.h) */
#define PROC_MIN_RAM       2048
#define PROC_INITIAL_BREAK ARCH_FRAME_SIZE /* above ram_start, like Tock */

enum proc_state {
    PROC_FREE = 0,       /* slot unused */
    PROC_RUNNABLE,       /* ready to run (or running) */
    PROC_YIELD_WAIT,     /* waiting for any upcall with a function */
    PROC_YIELD_WAIT_FOR, /* waiting for one (driver, upcall) event */
    PROC_TERMINATED,     /* exited; will not run again */
    PROC_FAULTED,        /* faulted past the restart limit */
};

/* One queued upcall: which subscription (driver index in the board's
 * table, subscribe number), and apart from it its three arguments: two
 * arrays pack tighter than an array of padded structs. */
struct upcall_key {
    uint8_t driver;
    uint8_t num;
};

struct process {
    /* Read by the arch layer's fast paths at the offsets of
     * kernel/hotpath.h (checked below): keep these first, in this order. */
    struct arch_context ctx; /* saved registers and MPU words */
    uint32_t ram_start;
    uint32_t app_break; /* first byte the process may not touch */
    uint8_t queue_len;  /* events queued, oldest at queue[queue_head] */
    uint8_t queue_head;
    uint8_t state;            /* enum proc_state */
    struct process *run_next; /* next in the scheduler's run queue (sched.c) */
    /* PROC_YIELD_WAIT_FOR: the driver number and upcall number waited for,
     * as the process gave them (an unknown driver or upcall never matches
     * an event: the process waits for good, as it asked). */
    uint32_t wait_driver, wait_upcall;
    proc_id_t id;        /* proc_id(): its generation is bumped on every (re)start */
    uint32_t slice_left; /* timeslice budget left, in SysTick cycles */

    const uint8_t *flash; /* the whole TBF image */
    uint32_t flash_size;
    uint32_t entry;  /* first instruction (Thumb bit clear) */
    uint32_t binary; /* start of the app binary: r0 at entry */
    char name[TBF_NAME_MAX + 1];
    uint8_t restarts;         /* kernel_config.restart_limit is at most 255 */
    uint16_t upcalls_dropped; /* events lost to a full queue (saturates) */
    struct storage_perms storage;

    uint32_t ram_size;
    uint32_t grant_start;           /* lowest byte of the grant area */
    uint32_t stack_hint, heap_hint; /* memop 10/11, for fault reports */

    void *grants[KERNEL_MAX_DRIVERS];

    struct upcall_key queue_key[UPCALL_QUEUE_LEN]; /* a ring ... */
    uint32_t queue_arg[UPCALL_QUEUE_LEN][3];       /* ... and its arguments */

    uint32_t exit_code;
};

_Static_assert(offsetof(struct process, ctx) == 0, "switch.S: context first");
_Static_assert(offsetof(struct process, ram_start) == PROC_OFF_RAM_START, "kernel/hotpath.h");
_Static_assert(offsetof(struct process, app_break) == PROC_OFF_APP_BREAK, "kernel/hotpath.h");
_Static_assert(offsetof(struct process, queue_len) == PROC_OFF_QUEUE_LEN, "kernel/hotpath.h");
_Static_assert(offsetof(struct process, queue_head) == PROC_OFF_QUEUE_HEAD, "kernel/hotpath.h");
_Static_assert(offsetof(struct process, state) == PROC_OFF_STATE, "kernel/hotpath.h");
_Static_assert(offsetof(struct process, wait_driver) == PROC_OFF_WAIT &&
                   offsetof(struct process, wait_upcall) == PROC_OFF_WAIT + 4,
               "kernel/hotpath.h");
_Static_assert(PROC_YIELD_WAIT_FOR == PROC_STATE_YIELD_WAIT_FOR, "kernel/hotpath.h");
_Static_assert(offsetof(struct process, queue_key) == PROC_OFF_QUEUE_KEY, "kernel/hotpath.h");
_Static_assert(offsetof(struct process, queue_arg) == PROC_OFF_QUEUE_ARG, "kernel/hotpath.h");
_Static_assert(sizeof(struct upcall_key) == UPCALL_KEY_SIZE, "kernel/hotpath.h");
_Static_assert(offsetof(struct upcall_key, driver) == 0 && offsetof(struct upcall_key, num) == 1,
               "switch.S reads a key as one halfword: driver index, then number");
_Static_assert(sizeof(((struct process *)0)->queue_arg[0]) == UPCALL_ARGS_SIZE, "kernel/hotpath.h");

extern struct process procs[PROC_MAX];
extern unsigned proc_count; /* slots 0 .. proc_count-1 are in use */

/* The last generation a live process may have: proc_id() keeps 24 bits.
 * A slot that would need more is stopped instead (proc_start). */
#define PROC_GEN_BITS 24
#define PROC_GEN_LAST ((1u << PROC_GEN_BITS) - 1u)

#define PROC_ID_GEN_ONE 0x100u /* proc_id_t: generation above the slot byte */

static inline proc_id_t proc_id(const struct process *p)
{
    return p->id; /* kept whole: a switch stores it with one load */
}

static inline unsigned proc_slot(const struct process *p)
{
    return proc_id_slot(p->id); /* its index in procs[] */
}

static inline uint32_t proc_generation(const struct process *p)
{
    return p->id / PROC_ID_GEN_ONE;
}

/* A new life (or the end of one): ids that capsules hold go stale. */
static inline void proc_next_generation(struct process *p)
{
    p->id += PROC_ID_GEN_ONE;
}

/* True when the process can run now or later (not terminated/faulted). */
static inline bool proc_alive(const struct process *p);

/* The live process an id names, or NULL if it is stale. Inline: every
 * capsule call that names a process starts here. */
static inline struct process *proc_lookup(proc_id_t pid)
{
    unsigned idx = proc_id_slot(pid);
    struct process *p;

    /* A constant bound: slots past proc_count were never started, so they
     * fail the alive check below. */
    if (idx >= PROC_MAX)
        return NULL;
    p = &procs[idx];
    if (proc_id(p) != pid || !proc_alive(p))
        return NULL;
    return p;
}

static inline bool proc_alive(const struct process *p)
{
    return p->state == PROC_RUNNABLE || p->state == PROC_YIELD_WAIT ||
           p->state == PROC_YIELD_WAIT_FOR;
}

/* (Re)start: fresh generation, grants freed, registers per Tock's start
 * contract. Memory block kept. A slot whose generations are used up
 * (PROC_GEN_LAST) is terminated instead, so no id ever repeats. */
void proc_start(struct process *p);

/* p faulted (fault: the CPU's fault status, or NULL when the kernel itself
 * found the process at fault): report, then restart or stop per policy. */
void proc_fault(struct process *p, const char *why, const struct arch_fault *fault);

/* Exit syscall: terminate or restart. */
void proc_exit(struct process *p, bool restart, uint32_t code);

/* Bytes [addr, addr+len) lie inside the process's accessible RAM (len may
 * be 0 only when the caller wants "any address"; overflow-safe). */
bool proc_in_ram(const struct process *p, uint32_t addr, uint32_t len);
/* ... or inside its flash image. */
bool proc_in_flash(const struct process *p, uint32_t addr, uint32_t len);

/* Move the break; false if it would leave the block, reach the grants, or
 * go below the end of a buffer the process has allowed in its RAM. */
bool proc_set_break(struct process *p, uint32_t new_break);

/* The hardware frame on top of the process stack. */
static inline struct arch_frame *proc_frame(const struct process *p)
{
    return (struct arch_frame *)p->ctx.sp;
}

/* Compute p's MPU words (at start and whenever its break moves); every
 * switch to p loads them. */
void proc_mpu_setup(struct process *p);

/* Allocated grant for driver index d (NULL if none). Frees all on restart. */
void *grant_alloc(struct process *p, unsigned d, uint32_t size);

#endif /* KERNEL_PROCESS_H */
