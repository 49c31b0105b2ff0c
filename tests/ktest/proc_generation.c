/*
 * ktest: process-id generations near their end (issue 11, latent). A
 * process id keeps 24 bits of generation, so a slot restarted 2^24 times
 * would get an id of its first life back. This kernel loads the apps as
 * usual, moves slot 0's generation to KTEST_GEN_LEFT starts before the
 * last one, and runs them; apps/restart_loop in slot 0 restarts itself
 * forever, so the slot must be stopped after exactly KTEST_GEN_LEFT more
 * lives, and its generation must never pass PROC_GEN_LAST.
 * (tests/qemu/test_proc_generation.py)
 */
#include "kernel/arch/cortex-m/arch.h"
#include "kernel/kernel.h"
#include "kernel/log.h"
#include "kernel/process.h"

#define KTEST_GEN_LEFT 3u

/* boards/mps2-an385/main.c */
const struct kernel_config *board_kernel_config(void);

void ktest_main(void);
void ktest_main(void)
{
    struct kernel_config cfg = *board_kernel_config();

    cfg.exit_when_done = false;
    if (kernel_load_processes(&cfg) == 0)
        arch_exit(1);
    procs[0].id = (PROC_GEN_LAST - KTEST_GEN_LEFT) * PROC_ID_GEN_ONE + proc_slot(&procs[0]);
    log_info("ktest proc_generation: slot 0 at generation %u of %u",
             (unsigned)proc_generation(&procs[0]), (unsigned)PROC_GEN_LAST);
    kernel_run(&cfg);
    log_info("ktest proc_generation: slot 0 ended at generation %u, state %u",
             (unsigned)proc_generation(&procs[0]), (unsigned)procs[0].state);
    arch_exit(proc_generation(&procs[0]) <= PROC_GEN_LAST && procs[0].state == PROC_TERMINATED ? 0
                                                                                               : 1);
}
