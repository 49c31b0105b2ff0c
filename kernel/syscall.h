/*
 * syscall: decode and carry out one Tock 2.x system call (TRD104) for a
 * process that trapped with `svc`. Called by the scheduler only.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "kernel/process.h"

/* Handle the call whose arguments are on p's stack frame; writes the
 * return registers. Afterwards p->state says whether p can go on running. */
void syscall_handle(struct process *p);

#endif /* KERNEL_SYSCALL_H */
