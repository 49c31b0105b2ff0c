/*
 * sched: what the scheduler shares with the system call layer. Kernel core
 * only.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/deferred.h"
#include "kernel/process.h"

/* The process on the CPU (NULL while the kernel loop itself runs). */
extern struct process *sched_current;

/* True when an interrupt bottom half or a deferred call is waiting: the
 * running process then yields the CPU to the kernel loop. */
static inline bool sched_kernel_work_pending(void)
{
    return arch_irq_any_pending() || deferred_any_pending();
}

#endif /* KERNEL_SCHED_H */
