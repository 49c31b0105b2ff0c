/*
 * _start: the first instructions of every app.
 *
 * The kernel enters here (Tock's Cortex-M start contract) with
 *   r0 = the app binary (our crt0 header is its first word),
 *   r1 = start of the process RAM block, r2 = its length,
 *   r3 = the initial break, sp = that break (32 bytes above RAM start).
 * Only those 32 bytes are ours until the break moves, so nothing is pushed
 * here: the break is moved first, then sp goes to the top of the stack
 * (which sits at the bottom of RAM, so an overflow faults instead of
 * overwriting data), r9 is set to the PIC base and C takes over.
 */
#include "abi/tock_abi.h"
#include "userland/crt0_header.h"

    .syntax unified
    .thumb
    .section .crt0_start, "ax", %progbits
    .global _start
    .type _start, %function
    .thumb_func
_start:
    mov     r4, r0                      /* r4 = flash base (header) */
    mov     r5, r1                      /* r5 = RAM base */

    ldr     r0, [r4, #CRT0_HDR_MAGIC]
    ldr     r1, =CRT0_MAGIC
    cmp     r0, r1
    bne     .Lbad_header

    ldr     r6, [r4, #CRT0_HDR_STACK_TOP]
    add     r6, r6, r5                  /* r6 = stack top */
    ldr     r7, [r4, #CRT0_HDR_HEAP_START]
    add     r7, r7, r5                  /* r7 = heap start = new break */

    movs    r0, #MEMOP_BRK
    mov     r1, r7
    svc     #SYSCALL_MEMOP
    cmp     r0, #RET_SUCCESS
    bne     .Lno_memory

    /* Debug hints for the kernel's fault reports; the result is ignored. */
    movs    r0, #MEMOP_HEAP_START
    mov     r1, r7
    svc     #SYSCALL_MEMOP
    movs    r0, #MEMOP_STACK_TOP
    mov     r1, r6
    svc     #SYSCALL_MEMOP

    mov     sp, r6
    ldr     r0, [r4, #CRT0_HDR_PIC_BASE]
    add     r9, r0, r5                  /* r9 = PIC base: every global via it */
    mov     r0, r4
    mov     r1, r5
    bl      crt0_main                   /* never returns */

.Lbad_header:
    ldr     r1, =CRT0_EXIT_BAD_HEADER
    b       .Lexit
.Lno_memory:
    ldr     r1, =CRT0_EXIT_NO_MEMORY
.Lexit:
    movs    r0, #EXIT_TERMINATE
    svc     #SYSCALL_EXIT
    b       .Lexit
    .ltorg
    .size _start, . - _start
