/*
 * kernel: what a board gives the kernel core, and the two calls it makes.
 *
 * The board builds a `struct kernel_config` (its drivers, policies and
 * interrupt bottom halves), calls kernel_load_processes() to find the apps
 * in its app flash area, then kernel_run(), which never returns.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/driver.h"
#include "kernel/tbf.h"

/* Upper bound on drivers a board may list (sizes each process's grant
 * pointer table: 4 bytes per process each). */
#define KERNEL_MAX_DRIVERS 6

/* Storage policy: fills *perms for an app from its TBF headers. */
typedef void (*storage_policy_fn)(const struct tbf_info *tbf, struct storage_perms *perms);

struct kernel_config {
    const struct driver *const *drivers;
    unsigned num_drivers;
    uint32_t timeslice_cycles; /* SysTick cycles per timeslice (<= 0xffffff) */
    uint32_t grant_reserve;    /* grant bytes added to every process block */
    unsigned restart_limit;    /* restarts granted to a faulting process (<= 255) */
    bool exit_when_done;       /* end the emulator when no process can run */
    storage_policy_fn storage_policy;
    /* Interrupt bottom halves: called from the kernel loop, or in the
     * interrupt's own exception when it preempted a process
     * (sched_interrupt); returns after servicing every pending device
     * interrupt of the board. */
    void (*service_interrupts)(void);
    /* App flash area and process RAM pool (from the linker script). */
    uint8_t *app_flash_start, *app_flash_end;
    uint8_t *app_ram_start, *app_ram_end;
};

/* Parse the app flash area and create a process for every valid, enabled
 * image. Returns the number of processes created. */
unsigned kernel_load_processes(const struct kernel_config *cfg);

/* The kernel loop: bottom halves, deferred calls, round-robin scheduling,
 * sleep when idle. Returns only if cfg->exit_when_done is false and no
 * process can ever run again. */
void kernel_run(const struct kernel_config *cfg);

/* The running configuration (set by kernel_load_processes). */
extern const struct kernel_config *kernel_cfg;

#endif /* KERNEL_KERNEL_H */
