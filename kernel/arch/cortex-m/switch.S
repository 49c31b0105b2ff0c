/*
 * Entering a process and trapping back to the kernel (ARMv7-M).
 *
 * The kernel runs in privileged thread mode on MSP; a process runs in
 * unprivileged thread mode on PSP. arch_switch_to_user() saves the kernel's
 * callee-saved registers on MSP, loads the process's, and executes
 * `svc 0xff`; the SVC handler, seeing the call came from MSP, drops
 * privilege and returns into the process on PSP. An exception taken from
 * the process that needs the kernel thread (SysTick, a device interrupt, a
 * fault, a system call the handler cannot finish) saves the process's
 * r4-r11 and PSP into its context, records why, restores privilege and
 * returns to thread mode on MSP, i.e. to the instruction after that
 * `svc 0xff`, where arch_switch_to_user() returns the reason.
 *
 * Most system calls never get that far: the SVC handler calls the kernel's
 * syscall_entry() right away, in handler mode, and returns straight into
 * the process. That C code keeps r4-r11 as the ABI requires, so the
 * process's registers need no saving on that path.
 */
    .syntax unified
    .thumb

    .equ CTX_SP,            32   /* struct arch_context: sp */
    .equ CTX_TRAP,          36   /* struct arch_context: trap */
    .equ TRAP_TIMESLICE,    2
    .equ TRAP_INTERRUPT,    3
    .equ TRAP_FAULT,        4
    .equ EXC_RETURN_PSP,    0xFFFFFFFD  /* thread mode, process stack */
    .equ EXC_RETURN_MSP,    0xFFFFFFF9  /* thread mode, main stack */
    .equ EXC_RETURN_SPSEL,  4           /* bit set: the frame is on PSP */
    .equ CONTROL_NPRIV,     1
    .equ EXC_IRQ0,          16          /* exception number of IRQ 0 */

    .section .bss.arch_current_ctx
    .align 2
    .global arch_current_ctx
arch_current_ctx:
    .word 0

    .text

/* enum arch_trap arch_switch_to_user(struct arch_context *ctx) */
    .global arch_switch_to_user
    .type arch_switch_to_user, %function
    .thumb_func
arch_switch_to_user:
    push    {r4-r11, lr}
    ldr     r1, =arch_current_ctx
    str     r0, [r1]
    ldr     r1, [r0, #CTX_SP]
    msr     psp, r1
    ldmia   r0, {r4-r11}
    svc     #0xff
    /* Back from the process: its registers are saved in ctx. */
    ldr     r0, =arch_current_ctx
    ldr     r0, [r0]
    ldr     r0, [r0, #CTX_TRAP]
    pop     {r4-r11, pc}
    .size arch_switch_to_user, . - arch_switch_to_user

/* Save the interrupted process and return to the kernel thread.
 * Entered by branch from a handler with r1 = trap reason. */
    .type trap_to_kernel, %function
    .thumb_func
trap_to_kernel:
    ldr     r0, =arch_current_ctx
    ldr     r0, [r0]
    stmia   r0, {r4-r11}
    mrs     r2, psp
    str     r2, [r0, #CTX_SP]
    str     r1, [r0, #CTX_TRAP]
    movs    r0, #0
    msr     control, r0           /* privileged again */
    isb
    ldr     lr, =EXC_RETURN_MSP
    bx      lr
    .size trap_to_kernel, . - trap_to_kernel

    .global SVC_Handler
    .type SVC_Handler, %function
    .thumb_func
SVC_Handler:
    tst     lr, #EXC_RETURN_SPSEL
    bne     1f
    /* From the kernel (svc 0xff): enter the process. */
    movs    r0, #CONTROL_NPRIV
    msr     control, r0
    isb
    ldr     lr, =EXC_RETURN_PSP
    bx      lr
1:  push    {r4, lr}              /* EXC_RETURN; r4 keeps MSP 8-aligned */
    mrs     r0, psp
    bl      syscall_entry
    pop     {r4, lr}
    cbnz    r0, 2f
    bx      lr                    /* handled: straight back to the process */
2:  mov     r1, r0
    b       trap_to_kernel
    .size SVC_Handler, . - SVC_Handler

    .global SysTick_Handler
    .type SysTick_Handler, %function
    .thumb_func
SysTick_Handler:
    push    {lr}
    bl      arch_systick_fired
    pop     {lr}
    tst     lr, #EXC_RETURN_SPSEL
    it      eq
    bxeq    lr                    /* kernel was running: just note it */
    movs    r1, #TRAP_TIMESLICE
    b       trap_to_kernel
    .size SysTick_Handler, . - SysTick_Handler

/* Every device interrupt: mask it in the NVIC, mark it pending for the
 * kernel's bottom half, and get back to the kernel if a process ran. */
    .global IRQ_Handler
    .type IRQ_Handler, %function
    .thumb_func
IRQ_Handler:
    mrs     r0, ipsr
    subs    r0, r0, #EXC_IRQ0
    push    {r0, lr}
    bl      arch_irq_top_half
    pop     {r0, lr}
    tst     lr, #EXC_RETURN_SPSEL
    it      eq
    bxeq    lr
    movs    r1, #TRAP_INTERRUPT
    b       trap_to_kernel
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
