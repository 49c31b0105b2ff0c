/*
 * ARMv8-M PMSAv8 MPU registers and the stack-limit rule. Register layouts
 * only; no logic. Private to kernel/arch/armv8m/.
 *
 * A PMSAv8 region is a base/limit pair with 32-byte granularity: RBAR holds
 * the base (bits 31:5) with the access permissions, shareability and
 * execute-never bit; RLAR holds the last 32-byte block's address (bits 31:5,
 * inclusive) with the enable bit and an index into MAIR0/MAIR1, where the
 * memory attributes live. No power-of-two sizes, no subregions; regions may
 * not overlap (an access that hits two faults). RNR selects a region; the
 * three alias pairs after RBAR/RLAR reach regions RNR+1..RNR+3 (RNR's low two
 * bits ignored), so a process's two regions load with one five-word
 * store-multiple from RNR (kernel/arch/cortex-m/arch.h: struct
 * arch_mpu_regions).
 */
#ifndef KERNEL_ARCH_ARMV8M_PMSAV8_H
#define KERNEL_ARCH_ARMV8M_PMSAV8_H

#include <stdint.h>

struct pmsav8_regs {
    volatile uint32_t type, ctrl, rnr;
    volatile uint32_t rbar_rlar[8]; /* RBAR, RLAR, RBAR_A1, RLAR_A1 .. RLAR_A3 */
    volatile uint32_t reserved;     /* 0xE000EDBC */
    volatile uint32_t mair0, mair1;
};
#define PMSAV8 ((struct pmsav8_regs *)0xE000ED90u)

#define PMSAV8_TYPE_DREGION(t) (((t) >> 8) & 0xffu) /* number of regions */
#define PMSAV8_CTRL_ENABLE     (1u << 0)
#define PMSAV8_CTRL_PRIVDEFENA (1u << 2)

#define PMSAV8_GRANULE      32u
#define PMSAV8_ADDR_MASK    0xffffffe0u
#define PMSAV8_RBAR_XN      (1u << 0)
#define PMSAV8_RBAR_RW_RW   (1u << 1) /* AP=01: read/write, any privilege */
#define PMSAV8_RBAR_RO_RO   (3u << 1) /* AP=11: read-only, any privilege */
#define PMSAV8_RBAR_SH_NS   (0u << 3) /* non-shareable (one CPU) */
#define PMSAV8_RLAR_EN      (1u << 0)
#define PMSAV8_RLAR_ATTR(i) ((uint32_t)(i) << 1)

/* MAIR attribute 0: normal memory, write-back, read/write-allocate (inner
 * and outer). Flash and RAM regions both use it. */
#define PMSAV8_ATTR_NORMAL    0u
#define PMSAV8_MAIR_NORMAL_WB 0xffu

#endif /* KERNEL_ARCH_ARMV8M_PMSAV8_H */
