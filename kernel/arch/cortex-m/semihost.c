/*
 * Ending the emulator through ARM semihosting.
 *
 * SYS_EXIT_EXTENDED takes a two-word block {reason, status}; with reason
 * ADP_Stopped_ApplicationExit QEMU (-semihosting-config enable=on) exits
 * with `status`. On hardware without a debugger the bkpt would lock up, so
 * boards for real chips should provide a different arch_exit().
 */
#include <stdint.h>

#include "kernel/arch/cortex-m/arch.h"

#define SEMIHOST_SYS_EXIT_EXTENDED 0x20
#define SEMIHOST_APPLICATION_EXIT  0x20026

void arch_exit(int status)
{
    uint32_t block[2] = {SEMIHOST_APPLICATION_EXIT, (uint32_t)status};
    register uint32_t op __asm__("r0") = SEMIHOST_SYS_EXIT_EXTENDED;
    register uint32_t arg __asm__("r1") = (uint32_t)block;

    for (;;)
        __asm__ volatile("bkpt 0xab" : : "r"(op), "r"(arg) : "memory");
}
