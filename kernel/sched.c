/*
 * sched: the kernel loop and round-robin scheduling.
 *
 * Each pass: run interrupt bottom halves and deferred calls, then give the
 * next runnable process a timeslice. A process keeps the CPU across its
 * system calls (most are handled in the SVC handler without coming back
 * here) until the timeslice ends, it blocks in yield, or kernel work (an
 * interrupt or a deferred call) is pending. With nothing to run the CPU
 * sleeps until an interrupt.
 */
#include <stddef.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/deferred.h"
#include "kernel/kernel.h"
#include "kernel/log.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/upcall.h"

/* True if p can be given the CPU now. A process in yield-wait becomes
 * runnable once an upcall with a function is set up to run; events for
 * null subscriptions are dropped on the way and do not wake it. */
static bool ready(struct process *p)
{
    if (p->state == PROC_YIELD_WAIT && p->queue_len > 0 && upcall_run_next(p))
        p->state = PROC_RUNNABLE;
    return p->state == PROC_RUNNABLE;
}

struct process *sched_current;

/* Run p for one timeslice (or until it blocks or the kernel has work). */
static void run_process(const struct kernel_config *cfg, struct process *p)
{
    sched_current = p;
    arch_timeslice_start(cfg->timeslice_cycles);
    for (;;) {
        enum arch_trap trap;

        /* Every entry: a restart (after a fault or exit-restart) gives the
         * process a new generation and break; unchanged, this is a compare. */
        proc_mpu_setup(p);
        trap = arch_switch_to_user(&p->ctx);

        switch (trap) {
        case TRAP_SYSCALL:
            syscall_finish(p);
            break;
        case TRAP_FAULT:
            proc_fault(p, "memory protection or usage fault", arch_last_fault());
            break;
        case TRAP_SYSCALL_DONE:
        case TRAP_TIMESLICE:
        case TRAP_INTERRUPT:
        default:
            break;
        }
        if (p->state != PROC_RUNNABLE || arch_timeslice_expired() || sched_kernel_work_pending())
            break;
    }
    arch_timeslice_stop();
    sched_current = NULL;
}

/* Give the CPU to the first ready process after `last`, round robin. */
static struct process *pick_next(unsigned *last)
{
    unsigned i;

    for (i = 1; i <= proc_count; i++) {
        unsigned idx = (*last + i) % proc_count;

        if (ready(&procs[idx])) {
            *last = idx;
            return &procs[idx];
        }
    }
    return NULL;
}

static bool any_alive(void)
{
    unsigned i;

    for (i = 0; i < proc_count; i++)
        if (proc_alive(&procs[i]))
            return true;
    return false;
}

/* No process can ever run again: say how each ended. Returns the exit
 * status for the emulator: 0 if every app exited with code 0. */
static int summarize(void)
{
    unsigned i, n = 0;
    int status = 0;

    for (i = 0; i < proc_count; i++) {
        struct process *p = &procs[i];

        if (p->state == PROC_TERMINATED) {
            log_info("  '%s': exited with code %u", p->name, (unsigned)p->exit_code);
            if (p->exit_code != 0)
                status = 1;
        } else if (p->state == PROC_FAULTED) {
            log_info("  '%s': stopped after faulting (%u restarts)", p->name, p->restarts);
            status = 1;
        } else {
            continue;
        }
        n++;
    }
    log_info("all %u processes have finished", n);
    return status;
}

void kernel_run(const struct kernel_config *cfg)
{
    unsigned last = proc_count - 1; /* so the first pick is slot 0 */

    for (;;) {
        struct process *p;

        if (cfg->service_interrupts != NULL)
            cfg->service_interrupts();
        deferred_run();

        p = pick_next(&last);
        if (p == NULL) {
            if (!any_alive() && !sched_kernel_work_pending()) {
                int status = summarize();

                if (!cfg->exit_when_done)
                    return;
                log_info("exiting with status %d", status);
                arch_exit(status);
            }
            if (!sched_kernel_work_pending())
                arch_wait_for_interrupt();
            continue;
        }
        run_process(cfg, p);
    }
}
