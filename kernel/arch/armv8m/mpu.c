/*
 * PMSAv8 MPU (ARMv8-M): region words for one process, computed when its
 * layout changes; switch.S loads them on every switch to it (LOAD_MPU in
 * mpu_switch.inc), together with the process's stack limit.
 *
 * Region 0: the process's flash image, read-only and executable.
 * Region 1: the accessible part of its RAM block, [ram_base, break rounded
 *           up to 32 bytes), read/write and never executable. The grant area
 *           above it has no region: only the kernel reaches it.
 * Regions 2..7 stay disabled (arch_mpu_init). The kernel runs privileged
 * with PRIVDEFENA: it sees the default memory map where no region matches.
 *
 * PMSAv8 regions are base/limit pairs at 32-byte granularity, so a process
 * RAM block is its need rounded up to 32 bytes and aligned to 32 bytes,
 * where PMSAv7 needs a power of two aligned to itself.
 *
 * The stack limit: switch.S sets PSPLIM to the RAM region's base. The
 * process's stack grows down from its stack top towards ram_base
 * (libtock-c's layout: stack first, then data and heap), so a stack that
 * runs past ram_base takes a UsageFault (STKOF) before a byte below the
 * block is written.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/armv8m/pmsav8.h"
#include "kernel/arch/cortex-m/arch.h"
#include "kernel/arch/cortex-m/scb.h"

#define MPU_REGION_FLASH 0u
#define MPU_REGION_RAM   1u

static uint32_t round_up(uint32_t v)
{
    return (v + PMSAV8_GRANULE - 1) & PMSAV8_ADDR_MASK;
}

void arch_mpu_init(void)
{
    unsigned n = PMSAV8_TYPE_DREGION(PMSAV8->type);

    SCB->shcsr |= SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA;
    SCB->ccr |= CCR_DIV_0_TRP;
    PMSAV8->mair0 = PMSAV8_MAIR_NORMAL_WB << (8 * PMSAV8_ATTR_NORMAL);
    for (unsigned r = 0; r < n; r++) { /* nothing left enabled from before */
        PMSAV8->rnr = r;
        PMSAV8->rbar_rlar[1] = 0;
    }
    PMSAV8->ctrl = PMSAV8_CTRL_ENABLE | PMSAV8_CTRL_PRIVDEFENA;
    __asm__ volatile("dsb\n isb" ::: "memory");
}

bool arch_mpu_region_ok(uint32_t base, uint32_t size)
{
    return size >= PMSAV8_GRANULE && size % PMSAV8_GRANULE == 0 && base % PMSAV8_GRANULE == 0 &&
           base + (size - 1) > base;
}

bool arch_mpu_ram_block(uint32_t need, uint32_t *size, uint32_t *align)
{
    if (need > 0u - PMSAV8_GRANULE)
        return false;
    *size = round_up(need);
    *align = PMSAV8_GRANULE;
    return true;
}

uint32_t arch_mpu_ram_granule(uint32_t ram_size)
{
    (void)ram_size;
    return PMSAV8_GRANULE;
}

void arch_mpu_compute(struct arch_mpu_regions *out, uint32_t flash_base, uint32_t flash_size,
                      uint32_t ram_base, uint32_t ram_size, uint32_t ram_accessible)
{
    uint32_t reach = round_up(ram_accessible); /* the break ceiling (process.c) */

    (void)ram_size;
    out->rnr = MPU_REGION_FLASH; /* RBAR/RLAR: region 0; the _A1 aliases: region 1 */
    out->pair[MPU_REGION_FLASH][0] = flash_base | PMSAV8_RBAR_SH_NS | PMSAV8_RBAR_RO_RO;
    out->pair[MPU_REGION_FLASH][1] = ((flash_base + flash_size - 1) & PMSAV8_ADDR_MASK) |
                                     PMSAV8_RLAR_ATTR(PMSAV8_ATTR_NORMAL) | PMSAV8_RLAR_EN;
    out->pair[MPU_REGION_RAM][0] =
        ram_base | PMSAV8_RBAR_SH_NS | PMSAV8_RBAR_RW_RW | PMSAV8_RBAR_XN;
    out->pair[MPU_REGION_RAM][1] = ((ram_base + reach - 1) & PMSAV8_ADDR_MASK) |
                                   PMSAV8_RLAR_ATTR(PMSAV8_ATTR_NORMAL) | PMSAV8_RLAR_EN;
}
