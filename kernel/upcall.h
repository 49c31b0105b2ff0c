/*
 * upcall: each process's queue of pending upcalls and their delivery.
 *
 * Capsules queue events with upcall_schedule() (kernel/driver.h). Yield
 * takes them out: yield-wait and yield-no-wait run the oldest event whose
 * subscription has a function (events for a null subscription are dropped
 * on the way); yield-wait-for takes the oldest event of one (driver,
 * number) whether subscribed or not and returns its arguments in r0-r2.
 * Used by the syscall layer and the scheduler only.
 */
#ifndef KERNEL_UPCALL_H
#define KERNEL_UPCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/process.h"

/* If an event with a function is queued, set up the process's frame to
 * run it (returning to where it yielded) and return true. */
bool upcall_run_next(struct process *p);

/* Take the oldest event for (driver index d, num) into r0-r2 of the
 * process's frame; false if none is queued. */
bool upcall_take_for(struct process *p, unsigned d, uint32_t num);

/* Drop every queued event for (driver index d, num): subscribe does this. */
void upcall_cancel(struct process *p, unsigned d, uint32_t num);

#endif /* KERNEL_UPCALL_H */
