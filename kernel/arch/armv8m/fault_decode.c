/*
 * Fault status decoding for ARMv8-M Mainline (CFSR and HFSR bits, MMFAR,
 * BFAR): only on the report path of a fault, never on a hot path. The
 * same bits as ARMv7-M (kernel/arch/armv7m/fault_decode.c) plus STKOF, the
 * UsageFault of a stack pointer taken below its limit register (PSPLIM for
 * a process: kernel/arch/armv8m/mpu.c). Everything runs Secure here, so
 * SecureFault (SFSR) never occurs and is not decoded.
 */
#include <stdint.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/arch/cortex-m/scb.h"
#include "kernel/log.h"

const char *arch_exception_name(uint32_t exc); /* fault.c */

struct bit_name {
    uint32_t bit;
    const char *name;
};

static const struct bit_name cfsr_bits[] = {
    {CFSR_IACCVIOL, "IACCVIOL (instruction access violation)"},
    {CFSR_DACCVIOL, "DACCVIOL (data access violation)"},
    {CFSR_MUNSTKERR, "MUNSTKERR (MPU fault on exception return unstacking)"},
    {CFSR_MSTKERR, "MSTKERR (MPU fault on exception entry stacking)"},
    {CFSR_MLSPERR, "MLSPERR (MPU fault on FP lazy state)"},
    {CFSR_MMARVALID, "MMARVALID (MMFAR holds the address)"},
    {CFSR_IBUSERR, "IBUSERR (bus error on instruction fetch)"},
    {CFSR_PRECISERR, "PRECISERR (precise data bus error)"},
    {CFSR_IMPRECISERR, "IMPRECISERR (imprecise data bus error)"},
    {CFSR_UNSTKERR, "UNSTKERR (bus fault on unstacking)"},
    {CFSR_STKERR, "STKERR (bus fault on stacking)"},
    {CFSR_LSPERR, "LSPERR (bus fault on FP lazy state)"},
    {CFSR_BFARVALID, "BFARVALID (BFAR holds the address)"},
    {CFSR_UNDEFINSTR, "UNDEFINSTR (undefined instruction)"},
    {CFSR_INVSTATE, "INVSTATE (invalid state: Thumb bit clear)"},
    {CFSR_INVPC, "INVPC (invalid exception return)"},
    {CFSR_NOCP, "NOCP (no coprocessor)"},
    {CFSR_STKOF, "STKOF (stack overflow: the stack pointer went below its limit register)"},
    {CFSR_UNALIGNED, "UNALIGNED (unaligned access)"},
    {CFSR_DIVBYZERO, "DIVBYZERO (divide by zero)"},
};

static const struct bit_name hfsr_bits[] = {
    {HFSR_VECTTBL, "VECTTBL (vector table read fault)"},
    {HFSR_FORCED, "FORCED (escalated from a configurable fault)"},
    {HFSR_DEBUGEVT, "DEBUGEVT (debug event)"},
};

void arch_log_fault_status(const struct arch_fault *f)
{
    unsigned i;

    log_error("  %s  CFSR=%08x HFSR=%08x", arch_exception_name(f->exception), (unsigned)f->cfsr,
              (unsigned)f->hfsr);
    for (i = 0; i < sizeof(cfsr_bits) / sizeof(cfsr_bits[0]); i++)
        if (f->cfsr & cfsr_bits[i].bit)
            log_error("    CFSR.%s", cfsr_bits[i].name);
    for (i = 0; i < sizeof(hfsr_bits) / sizeof(hfsr_bits[0]); i++)
        if (f->hfsr & hfsr_bits[i].bit)
            log_error("    HFSR.%s", hfsr_bits[i].name);
    if (f->cfsr & CFSR_MMARVALID)
        log_error("  faulting data address (MMFAR): %08x", (unsigned)f->mmfar);
    if (f->cfsr & CFSR_BFARVALID)
        log_error("  faulting bus address (BFAR): %08x", (unsigned)f->bfar);
}
