/*
 * PMSAv7 MPU (ARMv7-M): region words for one process, computed when its
 * layout changes; switch.S loads them on every switch to it.
 *
 * Region 0: the process's flash image, read-only and executable.
 * Region 1: its RAM block, read/write and never executable; only the
 *           subregions below `ram_accessible` are enabled, so the grant area
 *           at the top of the block stays out of the process's reach.
 * Each RBAR word carries VALID and its region number, so the five words
 * (RNR, RBAR, RASR, RBAR_A1, RASR_A1) can be stored in one go. The kernel
 * runs privileged with PRIVDEFENA: it sees the default memory map
 * everywhere no region matches, including the disabled subregions.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/cortex-m/arch.h"
#include "kernel/arch/cortex-m/scb.h"

struct mpu_regs {
    volatile uint32_t type, ctrl, rnr, rbar, rasr;
};
#define MPU                    ((struct mpu_regs *)0xE000ED90u)
#define MPU_CTRL_ENABLE        (1u << 0)
#define MPU_CTRL_PRIVDEFENA    (1u << 2)
#define MPU_RBAR_VALID         (1u << 4)
#define MPU_RASR_ENABLE        (1u << 0)
#define MPU_RASR_SIZE(log2)    (((log2)-1u) << 1)
#define MPU_RASR_SRD(mask)     ((uint32_t)(mask) << 8)
#define MPU_RASR_B             (1u << 16)
#define MPU_RASR_C             (1u << 17)
#define MPU_RASR_S             (1u << 18)
#define MPU_RASR_AP_RW_RW      (3u << 24) /* privileged RW, unprivileged RW */
#define MPU_RASR_AP_RO_RO      (6u << 24) /* privileged RO, unprivileged RO */
#define MPU_RASR_XN            (1u << 28)
#define MPU_MIN_REGION_LOG2    5u /* 32 bytes */
#define MPU_SUBREGIONS         8u
#define MPU_MIN_SUBREGION_LOG2 8u /* subregions need regions >= 256 B */

#define MPU_REGION_FLASH 0u
#define MPU_REGION_RAM   1u

/* log2 of a power of two: one CLZ instruction on ARMv7-M. */
static unsigned log2_exact(uint32_t v)
{
    return 31u - (unsigned)__builtin_clz(v);
}

void arch_mpu_init(void)
{
    SCB->shcsr |= SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA;
    SCB->ccr |= CCR_DIV_0_TRP;
    MPU->ctrl = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    __asm__ volatile("dsb\n isb" ::: "memory");
}

bool arch_mpu_region_ok(uint32_t base, uint32_t size)
{
    return size >= (1u << MPU_MIN_REGION_LOG2) && (size & (size - 1)) == 0 &&
           (base & (size - 1)) == 0;
}

bool arch_mpu_ram_block(uint32_t need, uint32_t *size, uint32_t *align)
{
    uint32_t sz = 1u << MPU_MIN_REGION_LOG2;

    while (sz < need && sz < 0x80000000u)
        sz <<= 1;
    if (sz < need)
        return false;
    *size = sz;
    *align = sz; /* a PMSAv7 region is aligned to its size */
    return true;
}

uint32_t arch_mpu_ram_granule(uint32_t ram_size)
{
    return ram_size >= (1u << MPU_MIN_SUBREGION_LOG2) ? ram_size / MPU_SUBREGIONS : ram_size;
}

void arch_mpu_compute(struct arch_mpu_regions *out, uint32_t flash_base, uint32_t flash_size,
                      uint32_t ram_base, uint32_t ram_size, uint32_t ram_accessible)
{
    uint32_t granule = arch_mpu_ram_granule(ram_size);
    uint32_t enabled = (ram_accessible + granule - 1) / granule; /* subregions */
    uint32_t srd = 0;

    if (granule != ram_size && enabled < MPU_SUBREGIONS)
        srd = (0xffu << enabled) & 0xffu; /* disable the upper ones */

    out->rnr = MPU_REGION_FLASH;
    out->pair[0][0] = flash_base | MPU_RBAR_VALID | MPU_REGION_FLASH;
    out->pair[0][1] =
        MPU_RASR_ENABLE | MPU_RASR_SIZE(log2_exact(flash_size)) | MPU_RASR_C | MPU_RASR_AP_RO_RO;
    out->pair[1][0] = ram_base | MPU_RBAR_VALID | MPU_REGION_RAM;
    out->pair[1][1] = MPU_RASR_ENABLE | MPU_RASR_SIZE(log2_exact(ram_size)) | MPU_RASR_SRD(srd) |
                      MPU_RASR_C | MPU_RASR_B | MPU_RASR_S | MPU_RASR_AP_RW_RW | MPU_RASR_XN;
}
