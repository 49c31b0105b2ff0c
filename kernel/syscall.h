/*
 * syscall: decode and carry out one Tock 2.x system call (TRD104).
 *
 * syscall_entry() (declared in the arch header) is called by the SVC
 * exception handler for every `svc` of a process and does all the work for
 * every class but exit. When it returns TRAP_SYSCALL, the kernel thread
 * calls syscall_finish() for that process once its registers are saved.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "kernel/process.h"

/* Finish an exit (or fault an unknown class) for p, in thread mode.
 * Afterwards p->state says whether p can go on running. */
void syscall_finish(struct process *p);

#endif /* KERNEL_SYSCALL_H */
