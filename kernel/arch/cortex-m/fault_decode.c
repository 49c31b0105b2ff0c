/*
 * Fault status decoding (CFSR and HFSR bits, MMFAR, BFAR): only on the
 * report path of a fault, never on a hot path.
 *
 * The bit names are only ever logged, so they live in the log text
 * (kernel/log.h) and cost no flash: the kernel logs each set bit's name by
 * address. ARMv8-M adds STKOF, the UsageFault of a stack pointer taken
 * below its limit register (PSPLIM for a process: kernel/arch/armv8m/mpu.c);
 * on ARMv7-M that bit is reserved and reads 0. Everything runs Secure on
 * ARMv8-M here, so SecureFault (SFSR) never occurs and is not decoded.
 */
#include <stdint.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/arch/cortex-m/scb.h"
#include "kernel/log.h"

const char *arch_exception_name(uint32_t exc); /* fault.c */

#define STATUS_BITS      32
#define STATUS_NAME_MAX  80
#define BIT_NUMBER(mask) __builtin_ctz(mask)

/* Indexed by bit number. The hardware sets no reserved bit, so the empty
 * entries are never logged. */
static const char cfsr_names[STATUS_BITS][STATUS_NAME_MAX] LOG_TEXT_SECTION = {
    [BIT_NUMBER(CFSR_IACCVIOL)] = "IACCVIOL (instruction access violation)",
    [BIT_NUMBER(CFSR_DACCVIOL)] = "DACCVIOL (data access violation)",
    [BIT_NUMBER(CFSR_MUNSTKERR)] = "MUNSTKERR (MPU fault on exception return unstacking)",
    [BIT_NUMBER(CFSR_MSTKERR)] = "MSTKERR (MPU fault on exception entry stacking)",
    [BIT_NUMBER(CFSR_MLSPERR)] = "MLSPERR (MPU fault on FP lazy state)",
    [BIT_NUMBER(CFSR_MMARVALID)] = "MMARVALID (MMFAR holds the address)",
    [BIT_NUMBER(CFSR_IBUSERR)] = "IBUSERR (bus error on instruction fetch)",
    [BIT_NUMBER(CFSR_PRECISERR)] = "PRECISERR (precise data bus error)",
    [BIT_NUMBER(CFSR_IMPRECISERR)] = "IMPRECISERR (imprecise data bus error)",
    [BIT_NUMBER(CFSR_UNSTKERR)] = "UNSTKERR (bus fault on unstacking)",
    [BIT_NUMBER(CFSR_STKERR)] = "STKERR (bus fault on stacking)",
    [BIT_NUMBER(CFSR_LSPERR)] = "LSPERR (bus fault on FP lazy state)",
    [BIT_NUMBER(CFSR_BFARVALID)] = "BFARVALID (BFAR holds the address)",
    [BIT_NUMBER(CFSR_UNDEFINSTR)] = "UNDEFINSTR (undefined instruction)",
    [BIT_NUMBER(CFSR_INVSTATE)] = "INVSTATE (invalid state: Thumb bit clear)",
    [BIT_NUMBER(CFSR_INVPC)] = "INVPC (invalid exception return)",
    [BIT_NUMBER(CFSR_NOCP)] = "NOCP (no coprocessor)",
    [BIT_NUMBER(CFSR_STKOF)] = "STKOF (stack overflow: the stack pointer went below its limit "
                               "register)",
    [BIT_NUMBER(CFSR_UNALIGNED)] = "UNALIGNED (unaligned access)",
    [BIT_NUMBER(CFSR_DIVBYZERO)] = "DIVBYZERO (divide by zero)",
};

static const char hfsr_names[STATUS_BITS][STATUS_NAME_MAX] LOG_TEXT_SECTION = {
    [BIT_NUMBER(HFSR_VECTTBL)] = "VECTTBL (vector table read fault)",
    [BIT_NUMBER(HFSR_FORCED)] = "FORCED (escalated from a configurable fault)",
    [BIT_NUMBER(HFSR_DEBUGEVT)] = "DEBUGEVT (debug event)",
};

void arch_log_fault_status(const struct arch_fault *f)
{
    unsigned i;

    log_error("  %s  CFSR=%08x HFSR=%08x", arch_exception_name(f->exception), (unsigned)f->cfsr,
              (unsigned)f->hfsr);
    for (i = 0; i < STATUS_BITS; i++)
        if (f->cfsr & (1u << i))
            log_error("    CFSR.%s", cfsr_names[i]);
    for (i = 0; i < STATUS_BITS; i++)
        if (f->hfsr & (1u << i))
            log_error("    HFSR.%s", hfsr_names[i]);
    if (f->cfsr & CFSR_MMARVALID)
        log_error("  faulting data address (MMFAR): %08x", (unsigned)f->mmfar);
    if (f->cfsr & CFSR_BFARVALID)
        log_error("  faulting bus address (BFAR): %08x", (unsigned)f->bfar);
}
