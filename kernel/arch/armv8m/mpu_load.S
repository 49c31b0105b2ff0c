/*
 * Loading a process's PMSAv8 regions and stack limit (ARMv8-M).
 *
 * void arch_pmsav8_load(const uint32_t words[8], uint32_t psplim)
 *
 * words holds RBAR, RLAR for regions 0..3. Writing 0 to RNR makes RBAR/RLAR
 * and their three alias pairs (RBAR_A1..RLAR_A3, the next six words) reach
 * regions 0..3, so the eight words go out in two four-register
 * load/store-multiple pairs. The kernel runs privileged with PRIVDEFENA, so
 * the half-written state in between never affects it; the process runs only
 * after the barriers.
 */
    .syntax unified
    .thumb

    .equ MPU_RNR, 0xE000ED98     /* followed by RBAR, RLAR, RBAR_A1 .. RLAR_A3 */

    .text
    .global arch_pmsav8_load
    .type arch_pmsav8_load, %function
    .thumb_func
arch_pmsav8_load:
    push    {r4, r5}
    msr     psplim, r1            /* the process's stack may not go below this */
    ldr     r1, =MPU_RNR
    movs    r2, #0
    str     r2, [r1], #4          /* RNR = 0; r1 -> RBAR */
    ldmia   r0!, {r2-r5}          /* region 0 and 1 */
    stmia   r1!, {r2-r5}
    ldmia   r0, {r2-r5}           /* regions 2 and 3 */
    stmia   r1, {r2-r5}
    dsb
    isb
    pop     {r4, r5}
    bx      lr
    .size arch_pmsav8_load, . - arch_pmsav8_load
