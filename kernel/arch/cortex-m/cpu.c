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

volatile uint32_t arch_irq_pending[ARCH_IRQ_WORDS];
static volatile bool timeslice_expired;

/* Interrupt line -> its word in the NVIC's and our bitmaps, and its bit. */
#define IRQ_WORD(irq) ((irq) / 32u)
#define IRQ_BIT(irq)  (1u << ((irq) % 32u))

void arch_irq_top_half(uint32_t irq);
void arch_irq_top_half(uint32_t irq)
{
    if (irq < ARCH_NUM_IRQS) {
        NVIC_ICER[IRQ_WORD(irq)] = IRQ_BIT(irq);
        arch_irq_pending[IRQ_WORD(irq)] |= IRQ_BIT(irq);
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
    NVIC_ISER[IRQ_WORD(irq)] = IRQ_BIT(irq);
}

void arch_irq_disable(unsigned irq)
{
    NVIC_ICER[IRQ_WORD(irq)] = IRQ_BIT(irq);
}

bool arch_irq_take_pending(unsigned irq)
{
    volatile uint32_t *word = &arch_irq_pending[IRQ_WORD(irq)];
    uint32_t bit = IRQ_BIT(irq);
    bool was;

    if ((*word & bit) == 0)
        return false; /* the common case, and only a top half sets bits */
    __asm__ volatile("cpsid i" ::: "memory");
    was = (*word & bit) != 0;
    *word &= ~bit;
    __asm__ volatile("cpsie i" ::: "memory");
    return was;
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
