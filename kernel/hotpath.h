/*
 * hotpath: what the arch layer's fast paths (kernel/arch/cortex-m/switch.S)
 * read from kernel structures without calling into C: field offsets and
 * symbol names. Plain #defines, included from assembly too; each offset is
 * checked by a _Static_assert next to the structure that defines it
 * (process.h, grant.c, driver.h), so a reordered field fails the build
 * instead of the fast path.
 *
 * KERNEL_FASTPATH (from the build, default 1) turns the fast paths on; with
 * 0 every system call goes through syscall_entry() and every switch through
 * the kernel thread. The two kernels must give identical answers
 * (tests/qemu/test_fastpath.py).
 */
#ifndef KERNEL_HOTPATH_H
#define KERNEL_HOTPATH_H

#ifndef KERNEL_FASTPATH
#define KERNEL_FASTPATH 1
#endif

#define UPCALL_QUEUE_LEN 10 /* pending upcalls per process (a ring) */

/* struct process: the context is at offset 0 (so arch_current_ctx is also
 * the running process), then these. */
#define PROC_OFF_RAM_START        60
#define PROC_OFF_APP_BREAK        64
#define PROC_OFF_QUEUE_LEN        68
#define PROC_OFF_QUEUE_HEAD       69
#define PROC_OFF_STATE            70  /* enum proc_state, one byte */
#define PROC_OFF_WAIT             76  /* wait_driver, then wait_upcall */
#define PROC_OFF_QUEUE_KEY        256 /* struct upcall_key[]: driver index, number */
#define PROC_OFF_QUEUE_ARG        276 /* uint32_t[][3] */
#define PROC_STATE_YIELD_WAIT_FOR 3
#define UPCALL_KEY_SIZE           2
#define UPCALL_ARGS_SIZE          12

/* struct kernel_config (kernel/kernel.h) */
#define KCFG_OFF_DRIVERS 0

/* struct driver */
#define DRIVER_OFF_NUMBER  0
#define DRIVER_OFF_COMMAND 12

/* `kernel_fast` (grant.c): the driver lookup table, DRIVER_HASH_SIZE
 * pointers (a number's first slot is number & DRIVER_HASH_MASK; a free
 * slot holds grant.c's no_driver), then the running process's id, so that
 * one base register reaches both. */
#define DRIVER_HASH_SIZE 8
#define DRIVER_HASH_MASK (DRIVER_HASH_SIZE - 1)
#define KFAST_OFF_PID    (4 * DRIVER_HASH_SIZE)

/* struct kernel_work: two adjacent words, so that "has the kernel thread
 * work?" is one ldrd and one orrs in the fast paths. */
#define KWORK_OFF_IRQ_WORDS      0
#define KWORK_OFF_DEFERRED_CALLS 4

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Work for the kernel thread: interrupts awaiting their bottom half (the
 * arch layer's top half sets bit w when word w of its line bitmap has a
 * line set) and registered deferred calls pending (kernel/deferred.c
 * counts them). Defined in deferred.c. */
struct kernel_work {
    union {
        struct {
            volatile uint32_t irq_words;
            uint32_t deferred_calls;
        };
        volatile uint64_t any; /* both words in one read: nonzero if either is */
    };
};
extern struct kernel_work kernel_work;

struct driver;
struct kernel_fast {
    const struct driver *driver_hash[DRIVER_HASH_SIZE];
    uint32_t current_pid;                   /* proc_id_t of sched_running() */
    uint8_t driver_index[DRIVER_HASH_SIZE]; /* board table index of each; 0xff: free */
};
extern struct kernel_fast kernel_fast;
#endif

#endif /* KERNEL_HOTPATH_H */
