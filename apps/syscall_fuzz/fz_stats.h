/*
 * fz_stats: what the syscall fuzzer counts, and the summary it prints once
 * at the end (never per call: the UART would dominate the run).
 *
 * Each call lands in one bucket of its class: success (any success
 * variant), the failure's error code, a failure with a code the ABI does
 * not have, or "returned" for yields (they carry no return variant).
 * A violation is an answer the ABI forbids for that call (e.g. a buffer
 * outside the app accepted); the first few are kept with their arguments.
 * The digest folds in every answer that does not depend on time (all four
 * registers after the call), so two kernels can be compared call by call
 * (tests/qemu/test_fastpath.py: fast paths on and off).
 */
#ifndef APPS_SYSCALL_FUZZ_FZ_STATS_H
#define APPS_SYSCALL_FUZZ_FZ_STATS_H

#include <stdint.h>

#include "fz_svc.h"

#define FZ_B_SUCCESS       0u /* buckets 1..13 are TOCK_EFAIL..TOCK_ENOACK */
#define FZ_B_LAST_CODE     13u
#define FZ_B_BADCODE       14u
#define FZ_B_RETURNED      15u
#define FZ_NUM_BUCKETS     16u
#define FZ_KEEP_VIOLATIONS 4u

struct fz_violation {
    uint32_t call; /* its index: 1 is the first call of the run */
    unsigned cls;
    struct fz_regs args;
    struct fz_regs ret;
    const char *why;
};

struct fz_stats {
    uint32_t calls;
    uint32_t counts[FZ_NUM_CLASSES][FZ_NUM_BUCKETS];
    uint32_t upcalls; /* upcall functions that ran */
    uint32_t violations;
    uint32_t digest; /* of the time-independent answers */
    struct fz_violation kept[FZ_KEEP_VIOLATIONS];
};

/* Count one answer: args as issued, ret as returned. */
void fz_stats_count(struct fz_stats *s, unsigned cls, const struct fz_regs *ret);

/* Fold one call's answer into the digest (skipped: yields and the alarm's
 * clock commands, whose answers depend on time). */
void fz_stats_digest(struct fz_stats *s, unsigned cls, const struct fz_regs *args,
                     const struct fz_regs *ret);

/* Record a forbidden answer. */
void fz_stats_violation(struct fz_stats *s, unsigned cls, const struct fz_regs *args,
                        const struct fz_regs *ret, const char *why);

/* Print the summary lines (printf: call once, at the end). */
void fz_stats_print(const struct fz_stats *s, uint32_t seed);

#endif /* APPS_SYSCALL_FUZZ_FZ_STATS_H */
