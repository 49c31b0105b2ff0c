/*
 * mpu_edge: where exactly does the process's reachable RAM end?
 *
 * Sets its break to EDGE: the first 512-byte boundary above its current
 * break, plus EDGE_OFFSET (a multiple of 32 bytes that is not one of 512).
 * Then reads the last byte below the break (must work on every MPU) and the
 * byte at the break. On PMSAv8 the region ends exactly at the break (it is
 * a multiple of 32): that read faults, and the fault report's MMFAR is the
 * printed address. On PMSAv7 the region ends at the next subregion boundary
 * (1/8 of the block): that read works, so the app then reads the first byte
 * of the next subregion, which must fault (MMFAR: the printed address).
 * Either way the app never exits normally: every life ends in a fault.
 */
#include <stdint.h>
#include <stdio.h>

#include "abi/tock_abi.h"
#include "userland/syscall.h"

#define SUBREGION_ALIGN   512u
#define EDGE_OFFSET       0x1a0u /* 416: 13 x 32 */
#define PMSAV7_SUBREGIONS 8u

int main(void)
{
    uint32_t brk = 0, edge;

    /* The first printf makes newlib take stdout's buffer from the heap
     * (sbrk): do it before reading the break, so nothing moves it later. */
    printf("mpu_edge: start\n");
    fflush(stdout);
    if (tock_status_u32(tock_memop(MEMOP_SBRK, 0), &brk) != 0) {
        printf("mpu_edge: sbrk failed\n");
        return 2;
    }
    edge = ((brk + SUBREGION_ALIGN - 1) & ~(SUBREGION_ALIGN - 1)) + EDGE_OFFSET;
    if (tock_status(tock_memop(MEMOP_BRK, edge)) != 0) {
        printf("mpu_edge: brk to %08lx refused\n", (unsigned long)edge);
        return 2;
    }
    printf("mpu_edge: break at %08lx\n", (unsigned long)edge);
    fflush(stdout);
    uint8_t last = *(volatile uint8_t *)(edge - 1);
    printf("mpu_edge: last byte below the break read (%u)\n", last);
    fflush(stdout);
    uint8_t past = *(volatile uint8_t *)edge;
    printf("mpu_edge: byte at the break read (%u)\n", past);

    /* Still here: a PMSAv7 block, cut in eighths; the eighth above the
     * break's must be out of reach. */
    uint32_t ram_start = 0, ram_end = 0;
    if (tock_status_u32(tock_memop(MEMOP_RAM_START, 0), &ram_start) != 0 ||
        tock_status_u32(tock_memop(MEMOP_RAM_END, 0), &ram_end) != 0) {
        printf("mpu_edge: memop failed\n");
        return 2;
    }
    uint32_t eighth = (ram_end - ram_start) / PMSAV7_SUBREGIONS;
    uint32_t beyond = ram_start + (edge - ram_start + eighth - 1) / eighth * eighth;
    printf("mpu_edge: subregion end at %08lx\n", (unsigned long)beyond);
    fflush(stdout);
    uint8_t outside = *(volatile uint8_t *)beyond;
    printf("mpu_edge: byte past the subregion end read (%u)\n", outside);
    return 0;
}
