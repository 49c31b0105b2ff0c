/*
 * sched: the kernel loop, the run queue and the switches between processes.
 *
 * The kernel loop (kernel_run) runs interrupt bottom halves and deferred
 * calls, then enters the process at the front of the run queue. A process
 * keeps the CPU across its system calls until it blocks in yield, its
 * timeslice budget runs out or a device interrupt wakes another process.
 * Then, when the kernel has no work of its own, the exception handler
 * switches straight to the next process in the queue (sched_block,
 * sched_timeslice_end, sched_interrupt: TRAP_SWITCH) without the kernel
 * loop; otherwise it traps to the kernel loop, which does the same
 * bookkeeping (sched_stopped) after the bottom halves. With
 * KERNEL_FASTPATH=0 every switch takes the second way. With nothing to run
 * the CPU sleeps until an interrupt.
 */
#include <stddef.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/deferred.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/log.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/upcall.h"

/* The run queue: runnable processes that are not on the CPU, linked
 * through run_next (pointers: no index arithmetic on the switch paths). */
static struct process *runq_head, *runq_tail;

static inline __attribute__((always_inline)) void push_front(struct process *p)
{
    p->run_next = runq_head;
    runq_head = p;
    if (runq_tail == NULL)
        runq_tail = p;
}

static inline __attribute__((always_inline)) void push_back(struct process *p)
{
    p->run_next = NULL;
    if (runq_tail == NULL)
        runq_head = p;
    else
        runq_tail->run_next = p;
    runq_tail = p;
}

static inline __attribute__((always_inline)) struct process *pop(void)
{
    struct process *p = runq_head;

    if (p == NULL)
        return NULL;
    runq_head = p->run_next;
    if (runq_head == NULL)
        runq_tail = NULL;
    return p;
}

/* Queue p by its budget: with some left it goes first (it was preempted,
 * or woken); with none it gets a fresh budget at the back. */
static inline __attribute__((always_inline)) void enqueue(struct process *p)
{
    if (p->slice_left != 0) {
        push_front(p);
    } else {
        p->slice_left = kernel_cfg->timeslice_cycles;
        push_back(p);
    }
}

void sched_wake(struct process *p)
{
    p->state = PROC_RUNNABLE;
    enqueue(p);
}

/* p left the CPU with `left` cycles of budget: queue it if it can run. */
static inline __attribute__((always_inline)) void sched_stopped(struct process *p, uint32_t left)
{
    p->slice_left = left;
    if (p->state == PROC_RUNNABLE)
        enqueue(p);
}

static inline __attribute__((always_inline)) void set_current(struct process *p)
{
    kernel_fast.current_pid = proc_id(p);
}

/* Exception time: make n, just taken from the queue, the current process;
 * the handler then loads its context (TRAP_SWITCH). */
static inline __attribute__((always_inline)) enum arch_trap switch_to(struct process *n)
{
    set_current(n);
    arch_next_ctx = &n->ctx;
    arch_slice_resume(n->slice_left);
    return TRAP_SWITCH;
}

enum arch_trap sched_block(struct process *p)
{
    struct process *next;

    if (!KERNEL_FASTPATH || sched_kernel_work_pending() || runq_head == NULL)
        return TRAP_SYSCALL_DONE; /* the kernel loop takes over (or idles) */
    next = pop();
    p->slice_left = arch_slice_pause(); /* it is blocked: off the queue */
    return switch_to(next);
}

enum arch_trap sched_timeslice_end(void)
{
    struct process *p = sched_running();

    if (!KERNEL_FASTPATH || sched_kernel_work_pending())
        return TRAP_TIMESLICE;
    /* SysTick reloaded itself and is counting again: resuming either
     * process below restarts it with that process's budget. */
    p->slice_left = kernel_cfg->timeslice_cycles;
    if (runq_head == NULL) {
        arch_slice_resume(kernel_cfg->timeslice_cycles); /* alone: a fresh budget and on it goes */
        return TRAP_NONE;
    }
    push_back(p);
    return switch_to(pop());
}

/* Exception time: a device interrupt's top half preempted the running
 * process. The bottom halves run here, in the exception, as the kernel
 * loop would run them: the process is stopped and queued first, so one
 * they wake goes ahead of it. Then the front of the queue runs (the same
 * process if nobody woke with budget), or, with work left (deferred calls,
 * another interrupt), the kernel loop. */
enum arch_trap sched_interrupt(void)
{
    struct process *p = sched_running(), *next;

    if (!KERNEL_FASTPATH)
        return TRAP_INTERRUPT;
    sched_stopped(p, arch_slice_pause());
    kernel_cfg->service_interrupts();
    if (sched_kernel_work_pending())
        return TRAP_QUEUED;
    next = pop(); /* never NULL: p at least is queued */
    if (next != p)
        return switch_to(next);
    arch_slice_resume(p->slice_left); /* on it goes */
    return TRAP_NONE;
}

/* Run processes from the front of the queue until one traps to the
 * kernel loop, and deal with the trap. */
static void run_front(struct process *p)
{
    enum arch_trap trap;
    uint32_t left;

    set_current(p);
    (void)arch_slice_take_ran_out(); /* only what happens from here on counts */
    arch_slice_resume(p->slice_left);
    trap = arch_switch_to_user(&p->ctx);
    if (trap == TRAP_QUEUED) /* sched_interrupt() stopped and queued it already */
        return;
    p = sched_running(); /* the one that trapped, after any direct switches */
    left = arch_slice_pause();
    if (arch_slice_take_ran_out())
        left = 0;
    switch (trap) {
    case TRAP_SYSCALL:
        syscall_finish(p);
        break;
    case TRAP_FAULT:
        proc_fault(p, LOG_TEXT("memory protection or usage fault"), arch_last_fault());
        break;
    case TRAP_TIMESLICE:
        left = 0;
        break;
    default:
        break;
    }
    sched_stopped(p, left);
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
    unsigned i;

    driver_table_build(cfg);
    for (i = 0; i < proc_count; i++) {
        procs[i].slice_left = 0; /* a fresh budget at the back */
        if (procs[i].state == PROC_RUNNABLE)
            enqueue(&procs[i]);
    }
    for (;;) {
        struct process *p;

        if (cfg->service_interrupts != NULL)
            cfg->service_interrupts();
        deferred_run();

        p = pop();
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
        run_front(p);
    }
}
