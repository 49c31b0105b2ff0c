/*
 * syscall_fuzz: random and adversarial Tock system calls, FUZZ_CALLS of
 * them from seed FUZZ_SEED (both fixed at build time: see the Makefile).
 * Prints a start line, a progress line every FUZZ_PROGRESS calls, and a
 * summary; exits 0, or 1 if the kernel gave an answer the ABI forbids.
 * The kernel must survive all of it, and keep the other apps running.
 */
#include <stdio.h>

#include "fz_gen.h"

#ifndef FUZZ_SEED
#define FUZZ_SEED 0x5eed1u
#endif
#ifndef FUZZ_CALLS
#define FUZZ_CALLS 20000u
#endif
#define FUZZ_PROGRESS 100000u

int main(void)
{
    static struct fz_state st;
    uint32_t next_report = FUZZ_PROGRESS;

    printf("syscall_fuzz: seed %08lx, %lu calls\n", (unsigned long)FUZZ_SEED,
           (unsigned long)FUZZ_CALLS);
    if (!fz_init(&st, FUZZ_SEED)) {
        printf("syscall_fuzz: cannot read the memory layout\n");
        return 2;
    }
    fz_fixed_reads(&st);
    while (st.stats.calls < FUZZ_CALLS) {
        fz_step(&st);
        if (st.stats.calls >= next_report) {
            fz_settle(&st);
            printf("syscall_fuzz: %lu calls\n", (unsigned long)st.stats.calls);
            next_report += FUZZ_PROGRESS;
        }
    }
    fz_settle(&st);
    fz_stats_print(&st.stats, FUZZ_SEED);
    printf("syscall_fuzz: done\n");
    return st.stats.violations != 0 ? 1 : 0;
}
