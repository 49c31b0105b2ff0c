/*
 * SysTick timeslice budgets and device interrupt bookkeeping (Cortex-M).
 *
 * Interrupt model: the top half (IRQ_Handler in switch.S) masks the
 * interrupt in the NVIC and sets its bit in `arch_irq_lines` (and its
 * word's bit in `kernel_work.irq_words`). The kernel (its loop, or
 * sched_interrupt() in the interrupt's own exception) asks
 * arch_irq_take_pending() (arch.h) for each line the board owns and runs
 * that device's bottom half, which unmasks the line.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/arch/cortex-m/scb.h"

volatile uint32_t arch_irq_lines[ARCH_IRQ_WORDS];
volatile bool arch_slice_ran_out;

/* SysTick taken while the kernel thread ran (switch.S): between a resume
 * and the entry into the process, or between a trap and the pause. The
 * budget counts as used up; SysTick keeps counting (it reloaded), so a
 * process entered now still gets preempted. */
void arch_systick_in_kernel(void);
void arch_systick_in_kernel(void)
{
    arch_slice_ran_out = true;
}

void arch_irq_disable(unsigned irq)
{
    NVIC_ICER[ARCH_IRQ_WORD(irq)] = ARCH_IRQ_BIT(irq);
}

void arch_wait_for_interrupt(void)
{
    /* With interrupts masked, WFI still wakes on a pending interrupt; the
     * check and the sleep are atomic, so no wake-up is lost in between. */
    __asm__ volatile("cpsid i" ::: "memory");
    if (!arch_irq_any_pending())
        __asm__ volatile("wfi" ::: "memory");
    __asm__ volatile("cpsie i" ::: "memory");
}

/* The five consecutive MPU registers the precomputed words go to (the same
 * addresses on PMSAv7 and PMSAv8): RNR, RBAR, RASR/RLAR, RBAR_A1,
 * RASR_A1/RLAR_A1. */
#define MPU_RNR_ADDR ((volatile uint32_t *)0xE000ED98u)

void arch_mpu_load(const struct arch_mpu_regions *r)
{
    volatile uint32_t *reg = MPU_RNR_ADDR;

    reg[0] = r->rnr;
    reg[1] = r->pair[0][0];
    reg[2] = r->pair[0][1];
    reg[3] = r->pair[1][0];
    reg[4] = r->pair[1][1];
    __asm__ volatile("dsb\n isb" ::: "memory");
}
