/*
 * Fault capture (every Cortex-M): the fault status registers are read and
 * cleared here; fault_decode.c names their bits.
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

/* Only ever logged: the names live in the log text (kernel/log.h). */
static const char exception_names[][sizeof("UsageFault")] LOG_TEXT_SECTION = {
    [EXC_NMI] = "NMI",           [EXC_HARDFAULT] = "HardFault",   [EXC_MEMMANAGE] = "MemManage",
    [EXC_BUSFAULT] = "BusFault", [EXC_USAGEFAULT] = "UsageFault",
};

static struct arch_fault last_fault;

const char *arch_exception_name(uint32_t exc);
const char *arch_exception_name(uint32_t exc)
{
    if (exc >= EXC_NMI && exc <= EXC_USAGEFAULT)
        return exception_names[exc];
    return LOG_TEXT("exception");
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

void arch_log_frame(const struct arch_frame *f, uint32_t sp)
{
    log_error("  pc %08x  lr %08x  sp %08x  xpsr %08x", (unsigned)f->pc, (unsigned)f->lr,
              (unsigned)sp, (unsigned)f->xpsr);
    log_error("  r0 %08x  r1 %08x  r2 %08x  r3 %08x  r12 %08x", (unsigned)f->r0, (unsigned)f->r1,
              (unsigned)f->r2, (unsigned)f->r3, (unsigned)f->r12);
}

/* Entered from Fault_Handler (switch.S) for a fault in the kernel. */
void arch_kernel_fault(const struct arch_frame *frame, uint32_t exc_return, uint32_t ipsr)
    __attribute__((noreturn));
void arch_kernel_fault(const struct arch_frame *frame, uint32_t exc_return, uint32_t ipsr)
{
    struct arch_fault f;

    capture(&f, ipsr);
    log_error("KERNEL FAULT: %s", arch_exception_name(f.exception));
    arch_log_frame(frame, (uint32_t)frame);
    log_error("  EXC_RETURN %08x", (unsigned)exc_return);
    arch_log_fault_status(&f);
    log_error("kernel halted (exit status %d)", FAULT_EXIT_STATUS);
    arch_exit(FAULT_EXIT_STATUS);
}
