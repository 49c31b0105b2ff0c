/*
 * Entering a process, trapping back to the kernel, switching straight from
 * one process to another, and the system call fast paths (Cortex-M).
 *
 * The kernel runs in privileged thread mode on MSP; a process runs in
 * unprivileged thread mode on PSP. arch_switch_to_user() saves the kernel's
 * callee-saved registers on MSP, loads the process's registers and MPU
 * words, and pends PendSV; the PendSV handler drops privilege and returns
 * into the process on PSP. An exception that needs the kernel thread (a
 * device interrupt, a fault, a system call the handlers cannot finish, a
 * switch with kernel work pending) saves the running process's r4-r11 and
 * PSP into its context, records why, restores privilege and returns to
 * thread mode on MSP, i.e. right after the PendSV request in
 * arch_switch_to_user(), which returns the reason.
 *
 * Most exceptions never get that far:
 *  - SVC: a command whose driver is in the first slot of the lookup table,
 *    yield-no-wait with nothing queued, and yield-wait-for whose event is
 *    the oldest queued are answered here without any C of the kernel core;
 *    a yield-wait-for with nothing queued blocks here and calls the
 *    scheduler; every other call goes to syscall_entry() or
 *    syscall_yield() in C.
 *  - SVC that blocks, SysTick, a device interrupt: the scheduler
 *    (kernel/sched.c; for an interrupt, after running the bottom halves)
 *    may answer TRAP_SWITCH, and switch_direct saves this process and
 *    loads the next one (registers, PSP, MPU words) inside the same
 *    exception.
 * C code keeps r4-r11 as the AAPCS requires, so the process's r4-r11 need
 * saving only when its context is left.
 * KERNEL_FASTPATH=0 (kernel/hotpath.h) assembles only the general paths.
 */
#include "abi/tock_abi.h"
#include "kernel/hotpath.h"

    .syntax unified
    .thumb

    .equ CTX_SP,            32          /* struct arch_context: sp */
    .equ CTX_TRAP,          36          /* struct arch_context: trap */
    .equ CTX_MPU,           40          /* struct arch_context: mpu (5 words) */
    .equ F_R0,              0           /* struct arch_frame */
    .equ F_R1,              4
    .equ F_R2,              8
    .equ F_R3,              12
    .equ F_PC,              24
    .equ TRAP_TIMESLICE,    2
    .equ TRAP_INTERRUPT,    3
    .equ TRAP_FAULT,        4
    .equ TRAP_SYSCALL_DONE, 5
    .equ TRAP_SWITCH,       6
    .equ EXC_RETURN_PSP,    0xFFFFFFFD  /* thread mode, process stack */
    .equ EXC_RETURN_MSP,    0xFFFFFFF9  /* thread mode, main stack */
    .equ EXC_RETURN_SPSEL,  4           /* bit set: the frame is on PSP */
    .equ CONTROL_NPRIV,     1
    .equ EXC_IRQ0,          16          /* exception number of IRQ 0 */
    .equ MPU_RNR,           0xE000ED98  /* then RBAR, RASR/RLAR, RBAR_A1, RASR_A1/RLAR_A1 */
    .equ NVIC_ICER,         0xE000E180  /* interrupt clear-enable, a word per 32 lines */
    .equ SCB_ICSR,          0xE000ED04
    .equ ICSR_PENDSVSET,    0x10000000

    .section .bss.arch_current_ctx
    .align 2
    .global arch_current_ctx
    .global arch_next_ctx
arch_current_ctx:                       /* the context on the CPU */
    .word 0
arch_next_ctx:                          /* where a TRAP_SWITCH goes */
    .word 0

    .text

/* \out = nonzero, and the flags NE, if the kernel has work: a device
 * interrupt's bottom half or a deferred call (the two adjacent words of
 * kernel_work that sched_kernel_work_pending() reads). */
    .macro KERNEL_WORK out, tmp
    ldr     \out, =kernel_work
    ldrd    \out, \tmp, [\out]         /* interrupt words pending, deferred calls */
    orrs    \out, \out, \tmp
    .endm

/* LOAD_MPU ctx, tmp: load the context's precomputed MPU words (at
 * \ctx+CTX_MPU) into the MPU; clobbers r4-r8 and \tmp. Defined by the MPU
 * layer (ARCH_MPU_SWITCH, from the build: kernel/arch/<mpu>/mpu_switch.inc),
 * since what a switch loads differs: ARMv8-M also sets the stack limit. */
#include ARCH_MPU_SWITCH

/* enum arch_trap arch_switch_to_user(struct arch_context *ctx) */
    .global arch_switch_to_user
    .type arch_switch_to_user, %function
    .thumb_func
arch_switch_to_user:
    push    {r4-r11, lr}                /* the kernel's callee-saved registers */
    ldr     r1, =arch_current_ctx
    str     r0, [r1]                    /* ctx is now the current context */
    ldr     r1, [r0, #CTX_SP]
    msr     psp, r1                     /* the process's stack, frame on top */
    LOAD_MPU r0, r1                     /* its regions */
    ldmia   r0, {r4-r11}                /* its callee-saved registers */
    ldr     r0, =SCB_ICSR
    mov     r1, #ICSR_PENDSVSET
    str     r1, [r0]                    /* pend PendSV: it drops into the process */
    dsb
    isb                                 /* PendSV is taken here */
    /* Back from some process: its registers are saved in its context. */
    ldr     r0, =arch_current_ctx
    ldr     r0, [r0]                    /* the context that trapped */
    ldr     r0, [r0, #CTX_TRAP]         /* and why */
    pop     {r4-r11, pc}
    .size arch_switch_to_user, . - arch_switch_to_user

/* Pended by arch_switch_to_user: enter the current context's process. */
    .global PendSV_Handler
    .type PendSV_Handler, %function
    .thumb_func
PendSV_Handler:
    movs    r0, #CONTROL_NPRIV
    msr     control, r0                 /* thread mode unprivileged */
    isb
    ldr     lr, =EXC_RETURN_PSP
    bx      lr                          /* into the process */
    .size PendSV_Handler, . - PendSV_Handler

/* Save the interrupted process and return to the kernel thread.
 * Entered by branch from a handler with r1 = trap reason. */
    .type trap_to_kernel, %function
    .thumb_func
trap_to_kernel:
    ldr     r0, =arch_current_ctx
    ldr     r0, [r0]
    stmia   r0, {r4-r11}                /* the process's callee-saved registers */
    mrs     r2, psp
    str     r2, [r0, #CTX_SP]           /* and its stack pointer */
    str     r1, [r0, #CTX_TRAP]         /* why it stopped */
    movs    r0, #0
    msr     control, r0                 /* privileged again */
    isb
    ldr     lr, =EXC_RETURN_MSP
    bx      lr                          /* to the kernel thread */
    .size trap_to_kernel, . - trap_to_kernel

/* Save the current process and continue with arch_next_ctx, all inside
 * this exception (the kernel's C code chose it and set up its timeslice). */
    .type switch_direct, %function
    .thumb_func
switch_direct:
    ldr     r3, =arch_current_ctx
    ldr     r0, [r3]                    /* the context leaving the CPU */
    stmia   r0, {r4-r11}                /* its callee-saved registers */
    mrs     r2, psp
    str     r2, [r0, #CTX_SP]           /* its stack pointer */
    ldr     r0, [r3, #4]                /* arch_next_ctx: the one coming in */
    str     r0, [r3]                    /* is now current */
    LOAD_MPU r0, r1                     /* its regions */
    ldmia   r0, {r4-r11}                /* its callee-saved registers */
    ldr     r2, [r0, #CTX_SP]
    msr     psp, r2                     /* its stack, with the frame to pop */
    ldr     lr, =EXC_RETURN_PSP
    bx      lr                          /* into it, still unprivileged */
    .size switch_direct, . - switch_direct

/* What the kernel's exception-time C code answered (r0 = enum arch_trap):
 * resume, switch, or trap to the kernel thread. */
    .type dispatch_trap, %function
    .thumb_func
dispatch_trap:
    cbz     r0, 1f                      /* TRAP_NONE: back into the process */
    cmp     r0, #TRAP_SWITCH
    beq     switch_direct               /* another process next */
    mov     r1, r0
    b       trap_to_kernel              /* the kernel thread has work */
1:  bx      lr
    .size dispatch_trap, . - dispatch_trap

/* Every `svc` comes from a process (the kernel enters processes through
 * PendSV). r0 = the process's exception frame for all that follows. */
    .global SVC_Handler
    .type SVC_Handler, %function
    .thumb_func
SVC_Handler:
    mrs     r0, psp                     /* the caller's exception frame */
#if KERNEL_FASTPATH
    ldr     r1, [r0, #F_PC]             /* its return address, just past the svc */
    ldrb    r1, [r1, #-2]               /* the svc's immediate: the system call class */
    cmp     r1, #SYSCALL_COMMAND        /* the most frequent class first */
    beq     fast_command
    cbz     r1, fast_yield              /* SYSCALL_YIELD is 0 */
    b       general                     /* the rest go to C */

/* yield-no-wait with no upcall queued: clear the caller's flag byte (if it
 * gave one inside its RAM) and return. yield-wait-for: fast_wait_for.
 * Anything else: the general path. */
fast_yield:
    ldr     r2, [r0, #F_R0]             /* yield variant */
    cbnz    r2, 2f                      /* not no-wait */
    ldr     r3, =arch_current_ctx
    ldr     r3, [r3]                    /* the running process (its context comes first) */
    ldrb    r2, [r3, #PROC_OFF_QUEUE_LEN]
    cbnz    r2, yield_c                 /* an upcall to run: C delivers it */
    KERNEL_WORK r2, r1
    cbnz    r2, yield_c                 /* kernel work: C traps for it */
    ldr     r1, [r0, #F_R1]             /* address of the "upcall ran" flag, or 0 */
    cbz     r1, 1f                      /* none given */
    ldr     r2, [r3, #PROC_OFF_RAM_START]
    cmp     r1, r2
    blo     1f                          /* below its RAM: not its byte to write */
    ldr     r2, [r3, #PROC_OFF_APP_BREAK]
    cmp     r1, r2
    bhs     1f                          /* at or past its break: likewise */
    movs    r2, #0
    strb    r2, [r1]                    /* no upcall ran */
1:  bx      lr                          /* r0-r3 untouched in the frame */
2:  cmp     r2, #YIELD_WAIT_FOR
    beq     fast_wait_for
    b       yield_c                     /* wait, or an unknown variant: in C */

/* command, driver found in its first lookup slot. The capsule's command
 * gets (driver, caller id, command, arg1, arg2: the fifth on the stack)
 * and answers in r0 (variant) and r1 (value); r0 goes to the frame always,
 * r1 only when the variant uses it (every variant a command may return
 * but Success). Command 0 and table misses: the general path. */
fast_command:
    ldr     r1, [r0, #F_R0]             /* driver number */
    ldr     r3, =kernel_fast            /* driver table and caller id (grant.c) */
    and     r2, r1, #DRIVER_HASH_MASK   /* its first slot (grant.h: driver_hash) */
    ldr     r12, [r3, r2, lsl #2]       /* the driver in that slot (a free one holds
                                           grant.c's no_driver, which answers NODEVICE) */
    ldr     r2, [r12, #DRIVER_OFF_NUMBER]
    cmp     r2, r1
    bne     general                     /* another driver's slot: the general path decides */
    ldr     r1, [r3, #KFAST_OFF_PID]    /* caller id */
    ldrd    r2, r3, [r0, #F_R1]         /* command number, arg1 */
    cbz     r2, general                 /* 0, "exists": the kernel's own answer */
    ldr     r0, [r0, #F_R3]             /* arg2 ... */
    push    {r0, lr}                    /* ... at [sp]; EXC_RETURN (MSP stays 8-aligned) */
    mov     r0, r12                     /* driver */
    ldr     r12, [r0, #DRIVER_OFF_COMMAND]
    blx     r12                         /* r0 = variant, r1 = value */
    mrs     r2, psp                     /* the caller's frame again */
    str     r0, [r2, #F_R0]             /* r0 = variant */
    cmp     r0, #RET_SUCCESS
    it      ne
    strne   r1, [r2, #F_R1]             /* r1 = value, if the variant has one */
    KERNEL_WORK r0, r1                  /* did the capsule leave work (or an interrupt
                                           come in as the kernel entered the caller)? */
    bne     2f
    pop     {r0, pc}                    /* no: EXC_RETURN to pc, back to the caller */
2:  pop     {r0, lr}
    movs    r1, #TRAP_SYSCALL_DONE
    b       trap_to_kernel              /* yes: the kernel thread runs it first */

/* Every other yield: syscall_yield() in C, which may block the caller
 * and switch. */
yield_c:
    push    {r4, lr}                    /* EXC_RETURN; r4 keeps MSP 8-aligned */
    bl      syscall_yield
    pop     {r4, lr}
    b       dispatch_trap
#endif

/* Every other call: syscall_entry() in C. */
general:
    push    {r4, lr}                    /* EXC_RETURN; r4 keeps MSP 8-aligned */
    bl      syscall_entry
    pop     {r4, lr}
    b       dispatch_trap

#if KERNEL_FASTPATH
/* yield-wait-for whose event is the oldest one queued (what a command
 * that completes at once leaves): its three arguments go to the caller's
 * r0-r2 and it leaves the ring, as in upcall_take_for(). The event's key
 * holds its driver as a board index; that driver's number must be the one
 * waited for (only a driver the number look-up finds can queue events:
 * upcall_schedule). An empty queue (checked first: that caller is about to
 * block), kernel work, or another event first: syscall_yield() in C. */
fast_wait_for:
    ldr     r3, =arch_current_ctx
    ldr     r3, [r3]                    /* the running process */
    ldrb    r2, [r3, #PROC_OFF_QUEUE_LEN]
    cbz     r2, block_wait_for          /* nothing queued: the caller blocks */
    KERNEL_WORK r2, r1                  /* (its orrs sets the flags) */
    bne     yield_c                     /* kernel work (a request that goes on
                                           in the kernel): C traps for it */
    ldrb    r12, [r3, #PROC_OFF_QUEUE_HEAD] /* the oldest event's ring slot */
    add     r2, r3, r12, lsl #1         /* UPCALL_KEY_SIZE bytes a key */
    ldrh    r2, [r2, #PROC_OFF_QUEUE_KEY] /* its key: driver index, number << 8 */
    ldr     r1, [r0, #F_R2]             /* the upcall number waited for */
    cmp     r1, r2, lsr #8
    bne     yield_c                     /* another upcall (or a number over 255) */
    uxtb    r2, r2                      /* the event's driver index */
    ldr     r1, =kernel_cfg
    ldr     r1, [r1]
    ldr     r1, [r1, #KCFG_OFF_DRIVERS]
    ldr     r1, [r1, r2, lsl #2]        /* that driver */
    ldr     r1, [r1, #DRIVER_OFF_NUMBER]
    ldr     r2, [r0, #F_R1]             /* the driver number waited for */
    cmp     r1, r2
    bne     yield_c                     /* another driver's event */
    add     r1, r12, r12, lsl #1
    add     r1, r3, r1, lsl #2          /* + head * UPCALL_ARGS_SIZE */
    add     r1, r1, #PROC_OFF_QUEUE_ARG /* the event's three arguments */
    add     r12, r12, #1                /* the ring's head moves on ... */
    cmp     r12, #UPCALL_QUEUE_LEN
    it      eq
    moveq   r12, #0                     /* ... wrapping at its end */
    strb    r12, [r3, #PROC_OFF_QUEUE_HEAD]
    ldrb    r2, [r3, #PROC_OFF_QUEUE_LEN]
    subs    r2, r2, #1
    strb    r2, [r3, #PROC_OFF_QUEUE_LEN] /* one event fewer */
    ldmia   r1, {r1-r3}
    stmia   r0, {r1-r3}                 /* to the frame's r0-r2; r3 untouched */
    bx      lr

/* yield-wait-for with nothing queued: the caller blocks, waiting for the
 * driver and upcall numbers it gave, as in syscall.c's block_wait_for(),
 * and sched_block() switches to the next process (or traps, when the
 * kernel has work or nothing else can run; never TRAP_NONE). */
block_wait_for:
    ldrd    r1, r2, [r0, #F_R1]         /* driver number, upcall number */
    strd    r1, r2, [r3, #PROC_OFF_WAIT] /* what it waits for */
    movs    r1, #PROC_STATE_YIELD_WAIT_FOR
    strb    r1, [r3, #PROC_OFF_STATE]   /* blocked */
    mov     r0, r3                      /* the process */
    push    {r4, lr}                    /* EXC_RETURN; r4 keeps MSP 8-aligned */
    bl      sched_block
    pop     {r4, lr}
    cmp     r0, #TRAP_SWITCH
    beq     switch_direct
    mov     r1, r0
    b       trap_to_kernel
#endif

    .size SVC_Handler, . - SVC_Handler

    .global SysTick_Handler
    .type SysTick_Handler, %function
    .thumb_func
SysTick_Handler:
    tst     lr, #EXC_RETURN_SPSEL
    beq     1f                          /* the kernel thread was running */
    push    {r4, lr}
    bl      sched_timeslice_end         /* the running process's budget ran out */
    pop     {r4, lr}
    b       dispatch_trap
1:  b       arch_systick_in_kernel      /* just note it (returns through lr) */
    .size SysTick_Handler, . - SysTick_Handler

/* Every device interrupt. The top half masks its line in the NVIC and
 * marks it pending for the bottom half: its bit in arch_irq_lines (cpu.c)
 * and its word's bit in kernel_work.irq_words. (The vector table has an
 * entry for the board's ARCH_NUM_IRQS lines only, so the line is one of
 * them.) If it preempted a process, sched_interrupt() runs the bottom
 * halves in this exception and answers resume or switch (or traps to the
 * kernel loop when work is left). */
    .global IRQ_Handler
    .type IRQ_Handler, %function
    .thumb_func
IRQ_Handler:
    mrs     r0, ipsr
    subs    r0, r0, #EXC_IRQ0           /* the interrupt line */
    lsrs    r1, r0, #5                  /* its word in the bitmaps */
    and     r0, r0, #31
    movs    r2, #1
    lsl     r3, r2, r0                  /* its bit in that word */
    ldr     r0, =NVIC_ICER
    str     r3, [r0, r1, lsl #2]        /* masked until its bottom half */
    ldr     r0, =arch_irq_lines
    ldr     r12, [r0, r1, lsl #2]
    orr     r12, r12, r3
    str     r12, [r0, r1, lsl #2]       /* the line is pending */
    lsl     r2, r2, r1                  /* its word's bit ... */
    ldr     r0, =kernel_work
    ldr     r3, [r0, #KWORK_OFF_IRQ_WORDS]
    orr     r3, r3, r2
    str     r3, [r0, #KWORK_OFF_IRQ_WORDS] /* ... is work for the kernel */
    tst     lr, #EXC_RETURN_SPSEL
    it      eq
    bxeq    lr                          /* the kernel thread was running */
#if KERNEL_FASTPATH
    push    {r4, lr}                    /* EXC_RETURN; r4 keeps MSP 8-aligned */
    bl      sched_interrupt
    pop     {r4, lr}
    cmp     r0, #TRAP_SWITCH            /* a process it woke runs next */
    beq     switch_direct
    b       dispatch_trap
#else
    movs    r1, #TRAP_INTERRUPT
    b       trap_to_kernel
#endif
    .size IRQ_Handler, . - IRQ_Handler

/* MemManage, BusFault, UsageFault and HardFault. A fault taken from a
 * process becomes a TRAP_FAULT for the kernel; a fault in the kernel is
 * fatal and goes to the dump in fault.c with the stacked frame. */
    .global Fault_Handler
    .type Fault_Handler, %function
    .thumb_func
Fault_Handler:
    ldr     r2, =EXC_RETURN_PSP
    cmp     lr, r2
    bne     2f
    mrs     r0, ipsr
    push    {r0, lr}
    bl      arch_record_fault
    pop     {r0, lr}
    movs    r1, #TRAP_FAULT
    b       trap_to_kernel
2:  tst     lr, #EXC_RETURN_SPSEL
    ite     eq
    mrseq   r0, msp
    mrsne   r0, psp
    mov     r1, lr
    mrs     r2, ipsr
    b       arch_kernel_fault     /* does not return */
    .size Fault_Handler, . - Fault_Handler
