/*
 * SysTick timeslices and device interrupt bookkeeping (ARMv7-M).
 *
 * Interrupt model: the top half (IRQ_Handler in switch.S, then
 * arch_irq_top_half here) masks the interrupt in the NVIC and sets its bit
 * in `arch_irq_pending`. The kernel loop asks arch_irq_take_pending() for each
 * device it owns, runs the bottom half in thread mode, and unmasks it.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/arch/cortex-m/scb.h"

volatile uint32_t arch_irq_pending;
static volatile bool timeslice_expired;

void arch_irq_top_half(uint32_t irq);
void arch_irq_top_half(uint32_t irq)
{
    if (irq < 32) {
        NVIC_ICER0[0] = 1u << irq;
        arch_irq_pending |= 1u << irq;
    }
}

void arch_systick_fired(void);
void arch_systick_fired(void)
{
    timeslice_expired = true;
    SYSTICK->csr = 0; /* one shot */
}

void arch_irq_enable(unsigned irq)
{
    NVIC_ISER0[0] = 1u << irq;
}

void arch_irq_disable(unsigned irq)
{
    NVIC_ICER0[0] = 1u << irq;
}

bool arch_irq_take_pending(unsigned irq)
{
    uint32_t bit = 1u << irq;
    bool was;

    if ((arch_irq_pending & bit) == 0)
        return false; /* the common case, and only a top half sets bits */
    __asm__ volatile("cpsid i" ::: "memory");
    was = (arch_irq_pending & bit) != 0;
    arch_irq_pending &= ~bit;
    __asm__ volatile("cpsie i" ::: "memory");
    return was;
}

void arch_wait_for_interrupt(void)
{
    /* With interrupts masked, WFI still wakes on a pending interrupt; the
     * check and the sleep are atomic, so no wake-up is lost in between. */
    __asm__ volatile("cpsid i" ::: "memory");
    if (arch_irq_pending == 0)
        __asm__ volatile("wfi" ::: "memory");
    __asm__ volatile("cpsie i" ::: "memory");
}

void arch_timeslice_start(uint32_t cycles)
{
    if (cycles > SYSTICK_RVR_MAX)
        cycles = SYSTICK_RVR_MAX;
    timeslice_expired = false;
    SYSTICK->csr = 0;
    SYSTICK->rvr = cycles;
    SYSTICK->cvr = 0;
    SYSTICK->csr = SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT | SYSTICK_CSR_CLKSOURCE;
}

bool arch_timeslice_expired(void)
{
    return timeslice_expired;
}

void arch_timeslice_stop(void)
{
    SYSTICK->csr = 0;
    timeslice_expired = false;
}
