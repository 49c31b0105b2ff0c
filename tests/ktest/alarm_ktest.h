/*
 * Helpers shared by the alarm ktests: run the board's apps as the normal
 * kernel does, but come back afterwards to report how many hardware alarm
 * interrupts the alarm capsule took (a distant alarm must cost a handful,
 * not one per tick) and how much virtual time passed, then end QEMU with
 * the status the kernel would give.
 */
#ifndef TESTS_KTEST_ALARM_KTEST_H
#define TESTS_KTEST_ALARM_KTEST_H

#include <stddef.h>
#include <stdint.h>

#include "abi/tock_abi.h"
#include "capsules/alarm.h"
#include "kernel/kernel.h"
#include "kernel/log.h"
#include "kernel/process.h"

/* A slow clock beyond 32 ticks' worth of range: timer 1 of the CMSDK dual
 * timer (unused by the board), free running, clocked at 25 MHz / 256, so
 * a test can tell 2^32 - 1 ticks from 3 (the 32-bit alarm counter cannot). */
#define KTEST_DUALTIMER_BASE 0x40002000u
#define KTEST_DT_LOAD        0x00u
#define KTEST_DT_VALUE       0x04u
#define KTEST_DT_CTRL        0x08u
#define KTEST_DT_CTRL_32BIT  (1u << 1)
#define KTEST_DT_CTRL_DIV256 (2u << 2)
#define KTEST_DT_CTRL_ENABLE (1u << 7)
#define KTEST_SLOW_CLOCK_DIV 256u
#define KTEST_DT_TOP         0xffffffffu

static inline volatile uint32_t *ktest_dt_reg(uint32_t off)
{
    return (volatile uint32_t *)(KTEST_DUALTIMER_BASE + off);
}

static inline void ktest_slow_clock_start(void)
{
    *ktest_dt_reg(KTEST_DT_CTRL) = 0;
    *ktest_dt_reg(KTEST_DT_LOAD) = KTEST_DT_TOP;
    *ktest_dt_reg(KTEST_DT_CTRL) =
        KTEST_DT_CTRL_ENABLE | KTEST_DT_CTRL_32BIT | KTEST_DT_CTRL_DIV256;
}

/* Ticks / 256 since ktest_slow_clock_start(). */
static inline uint32_t ktest_slow_clock(void)
{
    return KTEST_DT_TOP - *ktest_dt_reg(KTEST_DT_VALUE);
}

/* boards/mps2-an385/main.c */
const struct kernel_config *board_kernel_config(void);

/* The board's alarm capsule, found through its driver table. */
static inline struct alarm_capsule *ktest_alarm(const struct kernel_config *cfg)
{
    unsigned i;

    for (i = 0; i < cfg->num_drivers; i++)
        if (cfg->drivers[i]->number == DRIVER_ALARM)
            return cfg->drivers[i]->ctx;
    return NULL;
}

/* Load and run the apps until none can run, print the capsule's interrupt
 * count, and exit: 0 if every app exited with code 0. */
static inline void ktest_run_apps_and_count(void)
{
    struct kernel_config cfg = *board_kernel_config();
    struct alarm_capsule *alarm = ktest_alarm(&cfg);
    int status = 0;
    unsigned i;

    ktest_slow_clock_start();
    cfg.exit_when_done = false;
    kernel_load_processes(&cfg);
    kernel_run(&cfg);
    for (i = 0; i < proc_count; i++)
        if (procs[i].state != PROC_TERMINATED || procs[i].exit_code != 0)
            status = 1;
    log_info("ktest: alarm hardware interrupts %u", (unsigned)alarm->hw_interrupts);
    log_info("ktest: virtual time %u x%u ticks", (unsigned)ktest_slow_clock(),
             KTEST_SLOW_CLOCK_DIV);
    arch_exit(status);
}

#endif /* TESTS_KTEST_ALARM_KTEST_H */
