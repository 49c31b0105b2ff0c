/*
 * fz_svc: one raw system call of any class 0-7 with any four argument
 * words, for the syscall fuzzer.
 *
 * Unlike the userland wrappers, nothing here interprets the answer: the caller
 * gets r0-r3 exactly as the kernel left them. Yields may run an upcall
 * (an ordinary function) inside the call. Classes above 7 are refused here
 * (an unknown class faults the process by design, so the fuzzer never
 * issues one).
 */
#ifndef APPS_SYSCALL_FUZZ_FZ_SVC_H
#define APPS_SYSCALL_FUZZ_FZ_SVC_H

#include <stdbool.h>
#include <stdint.h>

#define FZ_NUM_CLASSES 8u

struct fz_regs {
    uint32_t r[4]; /* in: arguments r0-r3; out: what the kernel left there */
};

/* Issue `svc cls` with regs; false (and no call) if cls >= FZ_NUM_CLASSES. */
bool fz_svc(unsigned cls, struct fz_regs *regs);

#endif /* APPS_SYSCALL_FUZZ_FZ_SVC_H */
