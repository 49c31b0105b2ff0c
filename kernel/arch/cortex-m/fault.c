/*
 * Fault decoding (ARMv7-M System Control Block fault status registers).
 *
 * A fault taken from a process is recorded here and handed to the kernel
 * core as a trap (kernel/process.c applies the board's policy). A fault in
 * the kernel itself is fatal: the stacked registers and the decoded status
 * are printed and the emulator ends with FAULT_EXIT_STATUS.
 */
#include <stdint.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/arch/cortex-m/scb.h"
#include "kernel/log.h"

/* Exit status of a kernel fault: distinct from test failures (1). */
#define FAULT_EXIT_STATUS 0x7f

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

static const char *const exception_names[] = {
    [EXC_NMI] = "NMI",           [EXC_HARDFAULT] = "HardFault",   [EXC_MEMMANAGE] = "MemManage",
    [EXC_BUSFAULT] = "BusFault", [EXC_USAGEFAULT] = "UsageFault",
};

static struct arch_fault last_fault;

static const char *exception_name(uint32_t exc)
{
    if (exc < sizeof(exception_names) / sizeof(exception_names[0]) && exception_names[exc])
        return exception_names[exc];
    return "exception";
}

static void capture(struct arch_fault *f, uint32_t ipsr)
{
    f->exception = ipsr & IPSR_EXCEPTION_MASK;
    f->cfsr = SCB->cfsr;
    f->hfsr = SCB->hfsr;
    f->mmfar = SCB->mmfar;
    f->bfar = SCB->bfar;
    /* Status bits are write-one-to-clear: clear them so the next fault
     * reports only its own causes. */
    SCB->cfsr = f->cfsr;
    SCB->hfsr = f->hfsr;
}

void arch_record_fault(uint32_t ipsr);
void arch_record_fault(uint32_t ipsr)
{
    capture(&last_fault, ipsr);
    /* A fault while stacking an `svc` (the stack ran out: PSPLIM on ARMv8-M,
     * an MPU fault on ARMv7-M) leaves the SVCall pending; it must not fire
     * later in the kernel thread, where it would look like the kernel's own
     * `svc` that enters a process. The faulting call is abandoned with the
     * process. */
    SCB->shcsr &= ~SHCSR_SVCALLPENDED;
}

const struct arch_fault *arch_last_fault(void)
{
    return &last_fault;
}

void arch_log_fault_status(const struct arch_fault *f)
{
    unsigned i;

    log_error("  %s  CFSR=%08x HFSR=%08x", exception_name(f->exception), (unsigned)f->cfsr,
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

/* Entered from Fault_Handler (switch.S) for a fault in the kernel. */
void arch_kernel_fault(const struct arch_frame *frame, uint32_t exc_return, uint32_t ipsr)
    __attribute__((noreturn));
void arch_kernel_fault(const struct arch_frame *frame, uint32_t exc_return, uint32_t ipsr)
{
    struct arch_fault f;

    capture(&f, ipsr);
    log_error("KERNEL FAULT: %s", exception_name(f.exception));
    log_error("  r0 =%08x r1 =%08x r2 =%08x r3  =%08x", (unsigned)frame->r0, (unsigned)frame->r1,
              (unsigned)frame->r2, (unsigned)frame->r3);
    log_error("  r12=%08x lr =%08x pc =%08x xpsr=%08x", (unsigned)frame->r12, (unsigned)frame->lr,
              (unsigned)frame->pc, (unsigned)frame->xpsr);
    log_error("  stack frame at %p, EXC_RETURN=%08x", (const void *)frame, (unsigned)exc_return);
    arch_log_fault_status(&f);
    log_error("kernel halted (exit status %d)", FAULT_EXIT_STATUS);
    arch_exit(FAULT_EXIT_STATUS);
}
