/*
 * System Control Space registers every Cortex-M (ARMv7-M, ARMv8-M) has and
 * the arch layer uses: SCB fault status, SysTick, NVIC. Register layouts
 * only; no logic. Private to kernel/arch/ (the MPU registers live with the
 * MPU layer that programs them).
 */
#ifndef KERNEL_ARCH_SCB_H
#define KERNEL_ARCH_SCB_H

#include <stdint.h>

struct scb_regs {
    volatile uint32_t cpuid, icsr, vtor, aircr, scr, ccr, shpr1, shpr2, shpr3, shcsr;
    volatile uint32_t cfsr, hfsr, dfsr, mmfar, bfar, afsr;
};
#define SCB ((struct scb_regs *)0xE000ED00u)

#define SHCSR_SVCALLPENDED (1u << 15)
#define SHCSR_MEMFAULTENA  (1u << 16)
#define SHCSR_BUSFAULTENA  (1u << 17)
#define SHCSR_USGFAULTENA  (1u << 18)
#define CCR_DIV_0_TRP      (1u << 4)

#define CFSR_IACCVIOL    (1u << 0)
#define CFSR_DACCVIOL    (1u << 1)
#define CFSR_MUNSTKERR   (1u << 3)
#define CFSR_MSTKERR     (1u << 4)
#define CFSR_MLSPERR     (1u << 5)
#define CFSR_MMARVALID   (1u << 7)
#define CFSR_IBUSERR     (1u << 8)
#define CFSR_PRECISERR   (1u << 9)
#define CFSR_IMPRECISERR (1u << 10)
#define CFSR_UNSTKERR    (1u << 11)
#define CFSR_STKERR      (1u << 12)
#define CFSR_LSPERR      (1u << 13)
#define CFSR_BFARVALID   (1u << 15)
#define CFSR_UNDEFINSTR  (1u << 16)
#define CFSR_INVSTATE    (1u << 17)
#define CFSR_INVPC       (1u << 18)
#define CFSR_NOCP        (1u << 19)
#define CFSR_STKOF       (1u << 20) /* ARMv8-M only; reserved (0) on ARMv7-M */
#define CFSR_UNALIGNED   (1u << 24)
#define CFSR_DIVBYZERO   (1u << 25)

#define HFSR_VECTTBL  (1u << 1)
#define HFSR_FORCED   (1u << 30)
#define HFSR_DEBUGEVT (1u << 31)

#define IPSR_EXCEPTION_MASK 0x1ffu
#define EXC_RESET           1
#define EXC_NMI             2
#define EXC_HARDFAULT       3
#define EXC_MEMMANAGE       4
#define EXC_BUSFAULT        5
#define EXC_USAGEFAULT      6
#define EXC_SVCALL          11
#define EXC_DEBUGMON        12
#define EXC_PENDSV          14
#define EXC_SYSTICK         15

struct systick_regs {
    volatile uint32_t csr, rvr, cvr, calib;
};
#define SYSTICK               ((struct systick_regs *)0xE000E010u)
#define SYSTICK_CSR_ENABLE    (1u << 0)
#define SYSTICK_CSR_TICKINT   (1u << 1)
#define SYSTICK_CSR_CLKSOURCE (1u << 2) /* 1 = processor clock */
#define SYSTICK_CSR_COUNTFLAG (1u << 16)
#define SYSTICK_RVR_MAX       0x00ffffffu

#define ICSR_PENDSTCLR (1u << 25)
#define ICSR_PENDSTSET (1u << 26)
#define ICSR_PENDSVSET (1u << 28)

/* Indexed by interrupt line / 32. */
#define NVIC_ISER ((volatile uint32_t *)0xE000E100u)
#define NVIC_ICER ((volatile uint32_t *)0xE000E180u)
#define NVIC_ICPR ((volatile uint32_t *)0xE000E280u)

#endif /* KERNEL_ARCH_SCB_H */
