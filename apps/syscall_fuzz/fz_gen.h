/*
 * fz_gen: makes one random system call (or a short sequence that a real
 * app would make, e.g. set an alarm and wait for it), checks the answer
 * against the ABI, and undoes anything that would break the fuzzer itself
 * (a bogus upcall function left subscribed, a moved break).
 *
 * What it never does, by design: an svc with an unknown class (that faults
 * the process), exit-terminate or exit-restart (that ends the run; the
 * evil_* apps cover exits in the middle of operations), a yield-wait with
 * nothing due (that sleeps for good), console writes and low-level-debug
 * prints (they would flood the UART), and moving the break below where
 * the app's own data lives.
 */
#ifndef APPS_SYSCALL_FUZZ_FZ_GEN_H
#define APPS_SYSCALL_FUZZ_FZ_GEN_H

#include <stdint.h>

#include "fz_stats.h"
#include "fz_target.h"

struct fz_state {
    uint32_t rng;
    struct fz_layout lay;
    struct fz_stats stats;
};

/* Start: seed the generator and read the layout; false if that failed. */
bool fz_init(struct fz_state *st, uint32_t seed);

/* A fixed case first: FIXED_READS storage reads of the whole scratch, each
 * followed by a yield-no-wait whose result byte is aimed at the scratch
 * while the read may still be landing there (it must go to a byte no read
 * can touch: a 10-million-call run once reported such a clash as a
 * violation). Does nothing without the storage driver. */
void fz_fixed_reads(struct fz_state *st);

/* Make one step (one to three system calls). */
void fz_step(struct fz_state *st);

/* Before the summary: drop every subscription this app may have made and
 * the upcalls still queued, so printf's own waits are undisturbed. */
void fz_settle(struct fz_state *st);

#endif /* APPS_SYSCALL_FUZZ_FZ_GEN_H */
