/*
 * sched: the kernel loop and the scheduler's run queue, as the system call
 * and upcall layers see them. Kernel core only.
 *
 * Policy (docs/abi.md, "Scheduling"): round robin over a run queue with a
 * timeslice budget per process. A process woken by an upcall goes to the
 * front and runs at the next scheduling point; a process that used up its
 * budget gets a fresh one at the back. So a sleeper is served within one
 * switch of its wake-up, and no process gets more than one budget per turn
 * of the queue however often it sleeps and wakes.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/deferred.h"
#include "kernel/process.h"

/* The process on the CPU, or the one last on it while the kernel loop
 * runs: its context is first in its record, so the arch layer's current
 * context is the process. Its id is in kernel_fast.current_pid
 * (kernel/hotpath.h) for the fast path. */
static inline struct process *sched_running(void)
{
    return (struct process *)(void *)arch_current_ctx;
}

/* True when an interrupt bottom half or a deferred call is waiting: the
 * running process then yields the CPU to the kernel loop. */
static inline __attribute__((always_inline)) bool sched_kernel_work_pending(void)
{
    return kernel_work.any != 0; /* arch_irq_any_pending() || deferred_any_pending() */
}

/* p, blocked in yield, becomes runnable (its frame is already set up). */
void sched_wake(struct process *p);

/* p, the current process, just blocked in yield (exception time; also
 * called from switch.S): switch to the next runnable one if the kernel has
 * no work, else trap. */
enum arch_trap sched_block(struct process *p);

#endif /* KERNEL_SCHED_H */
