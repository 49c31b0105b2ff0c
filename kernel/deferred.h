/*
 * deferred: run a function later, from the kernel loop, outside the caller's
 * stack frame.
 *
 * Drivers use it to report completion "later" (the HAL contract forbids
 * calling a client back from inside a start function) and to split long
 * work into steps so that processes run in between. The kernel loop calls
 * deferred_run() before it returns to a process; one pass walks the calls
 * once and runs those pending, so a call that reschedules itself runs
 * again only on the next pass.
 *
 * Calls are static objects registered at boot (registering one again resets
 * it); scheduling one that is already pending does nothing. Kernel thread
 * context only (kernel loop, bottom halves, system calls, callbacks): an
 * interrupt top half marks its interrupt pending instead.
 */
#ifndef KERNEL_DEFERRED_H
#define KERNEL_DEFERRED_H

#include <stdbool.h>

#include "kernel/hotpath.h"

struct deferred_call {
    void (*fn)(void *ctx);
    void *ctx;
    bool pending;
    struct deferred_call *next;
};

void deferred_register(struct deferred_call *dc, void (*fn)(void *ctx), void *ctx);
void deferred_schedule(struct deferred_call *dc);
/* Any registered call pending? A variable, not a call: the kernel asks
 * after every system call. */
static inline __attribute__((always_inline)) bool deferred_any_pending(void)
{
    return kernel_work.deferred_calls != 0;
}

/* If dc is pending, unschedule it and return true: the caller runs it
 * itself now (boot-time polling of a device's own steps). */
bool deferred_take(struct deferred_call *dc);
void deferred_run(void);

#endif /* KERNEL_DEFERRED_H */
