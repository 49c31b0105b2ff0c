/*
 * Vector table and reset handler (ARMv7-M).
 *
 * Reset copies .data from flash, zeroes .bss and calls the board's main().
 * Every device interrupt goes to one handler (switch.S) that defers the
 * work to the kernel loop; faults go to Fault_Handler.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/cortex-m/arch.h"

#define NUM_EXTERNAL_IRQS 32

int main(void);
void Reset_Handler(void);
void SVC_Handler(void);
void SysTick_Handler(void);
void IRQ_Handler(void);
void Fault_Handler(void);
void Unused_Handler(void);

typedef void (*vector_fn)(void);

struct vector_table {
    uint8_t *initial_sp;
    vector_fn system[15];
    vector_fn irq[NUM_EXTERNAL_IRQS];
};

__attribute__((section(".vectors"), used)) const struct vector_table vector_table = {
    .initial_sp = _estack,
    .system =
        {
            Reset_Handler,  /* 1 reset */
            Fault_Handler,  /* 2 NMI: nothing raises it here; treat as fatal */
            Fault_Handler,  /* 3 HardFault */
            Fault_Handler,  /* 4 MemManage */
            Fault_Handler,  /* 5 BusFault */
            Fault_Handler,  /* 6 UsageFault */
            0,              /* 7-10 reserved */
            0,
            0,
            0,
            SVC_Handler,    /* 11 SVCall */
            Unused_Handler, /* 12 DebugMonitor */
            0,              /* 13 reserved */
            Unused_Handler, /* 14 PendSV */
            SysTick_Handler /* 15 SysTick */
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
