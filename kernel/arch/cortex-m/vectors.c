/*
 * Vector table and reset handler (Cortex-M).
 *
 * Reset copies .data from flash, zeroes .bss and calls the board's main().
 * Every device interrupt goes to one handler (switch.S) that defers the
 * work to the kernel loop; faults go to Fault_Handler.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/arch/cortex-m/scb.h"

/* The board's interrupt lines (ARCH_NUM_IRQS, from boards/<board>/board.mk). */
#define NUM_EXTERNAL_IRQS ARCH_NUM_IRQS

int main(void);
void Reset_Handler(void);
void SVC_Handler(void);
void SysTick_Handler(void);
void PendSV_Handler(void);
void IRQ_Handler(void);
void Fault_Handler(void);
void Unused_Handler(void);

typedef void (*vector_fn)(void);

struct vector_table {
    uint8_t *initial_sp;
    vector_fn system[15];
    vector_fn irq[NUM_EXTERNAL_IRQS];
};

/* system[n - 1] is the handler of exception number n (1..15); the slots
 * not listed are reserved (0). */
__attribute__((section(".vectors"), used)) const struct vector_table vector_table = {
    .initial_sp = _estack,
    .system =
        {
            [EXC_RESET - 1] = Reset_Handler,
            [EXC_NMI - 1] = Fault_Handler, /* nothing raises it here: fatal */
            [EXC_HARDFAULT - 1] = Fault_Handler,
            [EXC_MEMMANAGE - 1] = Fault_Handler,
            [EXC_BUSFAULT - 1] = Fault_Handler,
            [EXC_USAGEFAULT - 1] = Fault_Handler,
            [EXC_SVCALL - 1] = SVC_Handler,
            [EXC_DEBUGMON - 1] = Unused_Handler,
            [EXC_PENDSV - 1] = PendSV_Handler,
            [EXC_SYSTICK - 1] = SysTick_Handler,
        },
    .irq = {[0 ... NUM_EXTERNAL_IRQS - 1] = IRQ_Handler},
};

void Unused_Handler(void)
{
    arch_exit(3);
}

void Reset_Handler(void)
{
    memcpy(_sdata, _sidata, (size_t)(_edata - _sdata));
    memset(_sbss, 0, (size_t)(_ebss - _sbss));
    main();
    arch_exit(0);
}
