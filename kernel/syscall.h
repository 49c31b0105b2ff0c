/*
 * syscall: decode and carry out one Tock 2.x system call (TRD104).
 *
 * The SVC exception handler (kernel/arch/cortex-m/switch.S) answers the
 * hot calls itself (a command to a driver found in the first slot of the
 * lookup table, yield-no-wait with nothing queued) and hands every other
 * `svc` to syscall_entry() (declared in the arch header), which does all
 * the work for every class but exit through a table indexed by class.
 * When it returns TRAP_SYSCALL, the kernel thread calls syscall_finish()
 * for that process once its registers are saved. Both paths give the same
 * answers (tests/qemu/test_fastpath.py).
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "kernel/process.h"

/* Finish an exit (or fault an unknown class) for p, in thread mode.
 * Afterwards p->state says whether p can go on running. */
void syscall_finish(struct process *p);

#endif /* KERNEL_SYSCALL_H */
