/*
 * arch: everything the kernel core needs from the CPU (ARMv7-M), behind one
 * small interface: entering a process and trapping back, the MPU, the
 * timeslice timer, interrupts, fault decoding and ending the emulator.
 *
 * Called only by the kernel core (the files in kernel/) and the board. The rest of the
 * kernel never touches a CPU register directly.
 */
#ifndef KERNEL_ARCH_ARCH_H
#define KERNEL_ARCH_ARCH_H

#include <stdbool.h>
#include <stdint.h>

/* Why the CPU came back from a process to the kernel thread. */
enum arch_trap {
    TRAP_NONE = 0,         /* (from syscall_entry: resume the process) */
    TRAP_SYSCALL = 1,      /* an `svc` the handler left to the kernel thread */
    TRAP_TIMESLICE = 2,    /* SysTick expired while the process ran */
    TRAP_INTERRUPT = 3,    /* a device interrupt needs its bottom half */
    TRAP_FAULT = 4,        /* the process faulted (MemManage/Bus/Usage/Hard) */
    TRAP_SYSCALL_DONE = 5, /* an `svc` was handled; the process blocked or
                            * the kernel has work to do */
};

/* Saved state of a process while the kernel runs. The hardware frame
 * (r0-r3, r12, lr, pc, xpsr) lives on the process stack at sp; the rest is
 * here. Field order is used by switch.S: do not reorder. */
struct arch_context {
    uint32_t r4_r11[8];
    uint32_t sp;   /* process stack pointer (PSP) */
    uint32_t trap; /* enum arch_trap, set by the exception handler */
};

/* The hardware exception frame on the process stack. */
struct arch_frame {
    uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
};

#define ARCH_FRAME_SIZE 32u

/* The kernel core's system call entry, called by the SVC handler in
 * handler mode with the process's exception frame. It returns TRAP_NONE to
 * go straight back to the process, or the trap to hand to the kernel
 * thread (kernel/syscall.c). */
enum arch_trap syscall_entry(struct arch_frame *frame);
#define ARCH_XPSR_THUMB 0x01000000u /* T bit: Thumb state */

/* Fault details captured when a process faults. */
struct arch_fault {
    uint32_t exception; /* exception number: 3 hard, 4 memmanage, 5 bus, 6 usage */
    uint32_t cfsr, hfsr, mmfar, bfar;
};

/* Run the process whose context is ctx until it traps; returns the reason. */
enum arch_trap arch_switch_to_user(struct arch_context *ctx);

/* The fault recorded by the last TRAP_FAULT. */
const struct arch_fault *arch_last_fault(void);

/* Print a decoded CFSR/HFSR/MMFAR/BFAR report through the log. */
void arch_log_fault_status(const struct arch_fault *f);

/* Timeslice: start counting `cycles` CPU cycles; expired() after that. */
void arch_timeslice_start(uint32_t cycles);
bool arch_timeslice_expired(void);
void arch_timeslice_stop(void);

/* MPU. Regions for one process: its flash image (read/execute) and the
 * accessible part of its RAM block (read/write, no execute). What a region
 * may be depends on the MPU: PMSAv7 (kernel/arch/cortex-m/mpu.c) needs a
 * power-of-two size aligned to itself, PMSAv8 (kernel/arch/armv8m/mpu.c)
 * 32-byte multiples; on ARMv8-M, configure also sets the process's stack
 * limit (PSPLIM) to ram_base. */
void arch_mpu_init(void);
bool arch_mpu_region_ok(uint32_t base, uint32_t size);
/* The RAM block for a process that needs `need` bytes: its size (>= need)
 * and the alignment of its base. False if no block can hold that much. */
bool arch_mpu_ram_block(uint32_t need, uint32_t *size, uint32_t *align);
void arch_mpu_configure(uint32_t flash_base, uint32_t flash_size, uint32_t ram_base,
                        uint32_t ram_size, uint32_t ram_accessible);
/* Granularity of the accessible RAM boundary for a block of ram_size. */
uint32_t arch_mpu_ram_granule(uint32_t ram_size);

/* Interrupts. Device IRQs are masked in the NVIC by the top half and
 * re-enabled by the bottom half (arch_irq_enable) once serviced. */
/* ARCH_NUM_IRQS, the board's number of interrupt lines, comes from the
 * build (boards/<board>/board.mk). */
#define ARCH_IRQ_WORDS ((ARCH_NUM_IRQS + 31) / 32)
void arch_irq_enable(unsigned irq);
void arch_irq_disable(unsigned irq);
bool arch_irq_take_pending(unsigned irq); /* true once per top-half hit */
/* One bit per interrupt line, 32 lines per word. */
extern volatile uint32_t arch_irq_pending[ARCH_IRQ_WORDS];
static inline bool arch_irq_any_pending(void)
{
    uint32_t any = 0;

    for (unsigned w = 0; w < ARCH_IRQ_WORDS; w++) /* one load on a 32-line board */
        any |= arch_irq_pending[w];
    return any != 0;
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
