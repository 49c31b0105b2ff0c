/*
 * arch: everything the kernel core needs from the CPU, behind one small
 * interface: entering a process and trapping back, switching straight from
 * one process to another inside an exception, the MPU, the timeslice timer,
 * interrupts, fault capture and ending the emulator.
 *
 * Two layers implement it, picked by the build (mk/kernel.mk, ARCH_MPU):
 * kernel/arch/cortex-m/ is what every Cortex-M has (exception entry, context
 * switch, SysTick, NVIC, fault capture, semihosting); kernel/arch/<mpu>/
 * (armv7m: PMSAv7) computes MPU region words and decodes fault status.
 * Called only by the kernel core (kernel/) and the board.
 */
#ifndef KERNEL_ARCH_ARCH_H
#define KERNEL_ARCH_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/cortex-m/scb.h"
#include "kernel/hotpath.h"

/* Why the CPU came back from a process to the kernel thread, or (from the
 * kernel's exception-time calls) what the exception handler does next. */
enum arch_trap {
    TRAP_NONE = 0,         /* resume the process that was running */
    TRAP_SYSCALL = 1,      /* an `svc` the handler left to the kernel thread */
    TRAP_TIMESLICE = 2,    /* the process's timeslice ended */
    TRAP_INTERRUPT = 3,    /* a device interrupt needs its bottom half */
    TRAP_FAULT = 4,        /* the process faulted (MemManage/Bus/Usage/Hard) */
    TRAP_SYSCALL_DONE = 5, /* an `svc` was handled; the process blocked or
                            * the kernel has work to do */
    TRAP_SWITCH = 6,       /* (exception-time only) switch straight to the
                            * context in arch_next_ctx */
    TRAP_QUEUED = 7,       /* a device interrupt's bottom halves ran in the
                            * exception and left the kernel work: the process
                            * is back in the run queue already */
};

/* MPU settings of one process, computed when its layout changes and loaded
 * on every switch to it with one load-multiple and one store-multiple: the
 * region number register, then a base/attribute (PMSAv7: RBAR, RASR) or
 * base/limit (PMSAv8: RBAR, RLAR) pair per region, in the order of the
 * MPU's consecutive register aliases. */
#define ARCH_MPU_PROC_REGIONS 2 /* the flash image, the RAM block */
struct arch_mpu_regions {
    uint32_t rnr;
    uint32_t pair[ARCH_MPU_PROC_REGIONS][2];
};

/* Saved state of a process while it is not running. The hardware frame
 * (r0-r3, r12, lr, pc, xpsr) lives on the process stack at sp; the rest is
 * here. Field order is used by switch.S: do not reorder. */
struct arch_context {
    uint32_t r4_r11[8];
    uint32_t sp;   /* process stack pointer (PSP) */
    uint32_t trap; /* enum arch_trap, set by the exception handler */
    struct arch_mpu_regions mpu;
};

/* The hardware exception frame on the process stack. */
struct arch_frame {
    uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
};

#define ARCH_FRAME_SIZE 32u
#define ARCH_XPSR_THUMB 0x01000000u /* T bit: Thumb state */

/* The kernel core's exception-time entries (kernel/syscall.c, sched.c),
 * called in handler mode while a process is the current context. Each
 * returns TRAP_NONE (resume it), TRAP_SWITCH (switch to arch_next_ctx) or
 * a trap for the kernel thread. */
enum arch_trap syscall_entry(struct arch_frame *frame);
enum arch_trap syscall_yield(struct arch_frame *frame); /* class 0 only */
enum arch_trap sched_timeslice_end(void);
enum arch_trap sched_interrupt(void); /* after the top half, from a process */

/* The context running now, and the one a TRAP_SWITCH goes to. */
extern struct arch_context *arch_current_ctx;
extern struct arch_context *arch_next_ctx;

/* Run the process whose context is ctx (MPU words included) until some
 * process traps to the kernel; returns the reason. After direct switches
 * the trapping context is arch_current_ctx, not necessarily ctx. */
enum arch_trap arch_switch_to_user(struct arch_context *ctx);

/* Fault details captured when a process faults. */
struct arch_fault {
    uint32_t exception; /* exception number: 3 hard, 4 memmanage, 5 bus, 6 usage */
    uint32_t cfsr, hfsr, mmfar, bfar;
};

/* The fault recorded by the last TRAP_FAULT. */
const struct arch_fault *arch_last_fault(void);

/* Print the fault status through the log, bit by bit (fault_decode.c). */
void arch_log_fault_status(const struct arch_fault *f);
/* Log the registers of an exception frame; sp is where it was stacked. */
void arch_log_frame(const struct arch_frame *f, uint32_t sp);

/* Timeslice budget on SysTick: resume counting down `cycles` (at most
 * SYSTICK_RVR_MAX); pause returns what is left (0 if it ran out).
 * sched_timeslice_end() is called when a process's budget runs out.
 * Inline: every switch uses both. */
static inline __attribute__((always_inline)) void arch_slice_resume(uint32_t cycles)
{
    SYSTICK->rvr = cycles;
    SYSTICK->cvr = 0; /* any write: reload from rvr on the next tick */
    SYSTICK->csr = SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT | SYSTICK_CSR_CLKSOURCE;
}

static inline __attribute__((always_inline)) uint32_t arch_slice_pause(void)
{
    uint32_t left = SYSTICK->cvr;

    SYSTICK->csr = 0;
    if ((SCB->icsr & ICSR_PENDSTSET) != 0) {
        /* Ran out, not taken yet (we are in a handler of its priority). */
        SCB->icsr = ICSR_PENDSTCLR;
        left = 0;
    }
    return left;
}

/* True (once) if SysTick fired while the kernel thread ran, i.e. the
 * budget of the process it last ran out just around a trap or an entry. */
extern volatile bool arch_slice_ran_out;
static inline bool arch_slice_take_ran_out(void)
{
    bool was = arch_slice_ran_out;

    arch_slice_ran_out = false;
    return was;
}

/* MPU. Regions for one process: its flash image (read/execute) and the
 * accessible part of its RAM block (read/write, no execute). What a region
 * may be depends on the MPU layer: PMSAv7 (kernel/arch/armv7m/) needs a
 * power-of-two size aligned to itself, PMSAv8 (kernel/arch/armv8m/) 32-byte
 * multiples; on ARMv8-M the words also carry the process's stack limit
 * (PSPLIM = ram_base), loaded with them. */
void arch_mpu_init(void);
bool arch_mpu_region_ok(uint32_t base, uint32_t size);
/* The RAM block for a process that needs `need` bytes: its size (>= need)
 * and the alignment of its base. False if no block can hold that much. */
bool arch_mpu_ram_block(uint32_t need, uint32_t *size, uint32_t *align);
void arch_mpu_compute(struct arch_mpu_regions *out, uint32_t flash_base, uint32_t flash_size,
                      uint32_t ram_base, uint32_t ram_size, uint32_t ram_accessible);
/* Load r into the MPU now (the running process's break moved); switches
 * load the incoming context's words themselves. */
void arch_mpu_load(const struct arch_mpu_regions *r);
/* Granularity of the accessible RAM boundary for a block of ram_size. */
uint32_t arch_mpu_ram_granule(uint32_t ram_size);

/* Interrupts. Device IRQs are masked in the NVIC by the top half and
 * re-enabled by the bottom half (arch_irq_enable) once serviced. An
 * interrupt taken from a process is served in its own exception
 * (sched_interrupt), or traps to the kernel when the kernel has other
 * work; one taken while the kernel thread runs is served before the next
 * process runs, or at its next system call when it came in just as the
 * kernel entered it.
 * ARCH_NUM_IRQS, the board's number of interrupt lines, comes from the
 * build (boards/<board>/board.mk): one bit per line in arch_irq_lines (32
 * lines a word), and bit w of kernel_work.irq_words (kernel/hotpath.h)
 * says word w has one set, so "anything pending?" stays one load whatever
 * the number of lines. */
#define ARCH_IRQ_WORDS ((ARCH_NUM_IRQS + 31) / 32)
/* Interrupt line -> its word in the NVIC's and our bitmaps, and its bit. */
#define ARCH_IRQ_WORD(irq) ((irq) / 32u)
#define ARCH_IRQ_BIT(irq)  (1u << ((irq) % 32u))

static inline void arch_irq_enable(unsigned irq)
{
    NVIC_ISER[ARCH_IRQ_WORD(irq)] = ARCH_IRQ_BIT(irq);
}

/* Unmask a line whose device is quiet (it cannot raise the line again
 * until its driver re-arms it), forgetting what the NVIC latched while it
 * was masked: the line was high from the event just served, and enabling
 * it as it is would take that event a second time. */
static inline void arch_irq_enable_quiet(unsigned irq)
{
    NVIC_ICPR[ARCH_IRQ_WORD(irq)] = ARCH_IRQ_BIT(irq);
    NVIC_ISER[ARCH_IRQ_WORD(irq)] = ARCH_IRQ_BIT(irq);
}
void arch_irq_disable(unsigned irq);
extern volatile uint32_t arch_irq_lines[ARCH_IRQ_WORDS];
/* True once per top-half hit (inline: a board asks for each of its lines
 * on every pass, with a constant irq). Only a top half sets a line's bit
 * and only this clears it, so a bit seen set stays set until cleared
 * here; interrupts are masked for the clear, a read-modify-write that a
 * top half may race. */
static inline __attribute__((always_inline)) bool arch_irq_take_pending(unsigned irq)
{
    volatile uint32_t *word = &arch_irq_lines[ARCH_IRQ_WORD(irq)];
    uint32_t bit = ARCH_IRQ_BIT(irq), left;

    if ((*word & bit) == 0)
        return false;
    __asm__ volatile("cpsid i" ::: "memory");
    left = *word & ~bit;
    *word = left;
    if (left == 0)
        kernel_work.irq_words &= ~(1u << ARCH_IRQ_WORD(irq));
    __asm__ volatile("cpsie i" ::: "memory");
    return true;
}
static inline __attribute__((always_inline)) bool arch_irq_any_pending(void)
{
    return kernel_work.irq_words != 0;
}
void arch_wait_for_interrupt(void);

/* End the emulator with this status (semihosting SYS_EXIT_EXTENDED). On
 * real hardware: halt. Never returns. */
void arch_exit(int status) __attribute__((noreturn));

/* Linker-script symbols (boards/<board>/layout.ld). */
extern uint8_t _stext[], _etext[], _sdata[], _edata[], _sidata[], _sbss[], _ebss[];
extern uint8_t _kernel_ram_start[], _kernel_ram_end[], _estack[];
extern uint8_t _app_flash_start[], _app_flash_end[], _app_ram_start[], _app_ram_end[];

#endif /* KERNEL_ARCH_ARCH_H */
