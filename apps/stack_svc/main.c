/*
 * stack_svc: moves its stack pointer 16 bytes above the start of its RAM
 * block (still inside it) and makes a system call there. The hardware must
 * push an eight-word (32-byte) frame for the `svc`, which would reach below
 * the block: on ARMv8-M the stack limit (PSPLIM) stops it, on ARMv7-M the
 * MPU. The call is never taken: the process faults while its frame is being
 * stacked, and the kernel must not run the abandoned `svc` afterwards (it
 * stays pending in the CPU unless the kernel clears it).
 */
#include <stdint.h>
#include <stdio.h>

#include "abi/tock_abi.h"
#include "userland/syscall.h"

#define ROOM 16 /* bytes left below sp: half an exception frame */

int main(void)
{
    uint32_t ram = 0;

    if (tock_status_u32(tock_memop(MEMOP_RAM_START, 0), &ram) != 0) {
        printf("stack_svc: memop RAM start failed\n");
        return 2;
    }
    printf("stack_svc: yield with sp at %08lx\n", (unsigned long)(ram + ROOM));
    fflush(stdout);
    /* yield-no-wait (class 0, r0 = 0) with sp = ram + ROOM. */
    __asm__ volatile("mov r1, sp\n"
                     "mov sp, %0\n"
                     "movs r0, #0\n"
                     "svc #0\n"
                     "mov sp, r1\n"
                     :
                     : "r"(ram + ROOM)
                     : "r0", "r1", "memory");
    printf("stack_svc: the system call returned: stack overflow NOT caught\n");
    return 1;
}
