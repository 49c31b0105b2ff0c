/* fz_target: see fz_target.h. */
#include "fz_target.h"

#include "abi/tock_abi.h"
#include "fz_rng.h"
#include "userland/syscall.h"

/* mps2-an385 memory map (docs/DESIGN, boards/mps2-an385/layout.ld). */
#define KERNEL_FLASH_BASE 0x00000000u
#define KERNEL_RAM_BASE   0x20000000u
#define KERNEL_RAM_SPAN   0x00010000u /* where the kernel's data and stack are */
#define UART0_BASE        0x40004000u
#define FRAM_I2C_BASE     0x4002A000u
#define SCS_SYSTICK       0xE000E010u
#define SCS_MPU_TYPE      0xE000ED90u
#define TOP_OF_SPACE      0xFFFFFFF0u
#define NEIGHBOUR_SPAN    0x1000u /* how far past our block we aim */
#define THUMB_BIT         1u
#define THUMB_INSN_BYTES  2u
#define SMALL_LEN_MAX     64u

uint8_t fz_scratch[FZ_SCRATCH_SIZE] __attribute__((aligned(8)));

bool fz_layout_read(struct fz_layout *l)
{
    return tock_status_u32(tock_memop(MEMOP_RAM_START, 0), &l->ram_start) == TOCK_SUCCESS &&
           tock_status_u32(tock_memop(MEMOP_RAM_END, 0), &l->ram_end) == TOCK_SUCCESS &&
           tock_status_u32(tock_memop(MEMOP_FLASH_START, 0), &l->flash_start) == TOCK_SUCCESS &&
           tock_status_u32(tock_memop(MEMOP_FLASH_END, 0), &l->flash_end) == TOCK_SUCCESS &&
           tock_status_u32(tock_memop(MEMOP_GRANT_START, 0), &l->grant_start) == TOCK_SUCCESS &&
           tock_status_u32(tock_memop(MEMOP_SBRK, 0), &l->brk) == TOCK_SUCCESS;
}

/* [addr, addr + len) inside [lo, hi), without wrapping. */
static bool span_inside(uint32_t addr, uint32_t len, uint32_t lo, uint32_t hi)
{
    return addr >= lo && addr <= hi && len <= hi - addr;
}

bool fz_rw_ok(const struct fz_layout *l, uint32_t addr, uint32_t len)
{
    return len == 0 || span_inside(addr, len, l->ram_start, l->brk);
}

bool fz_ro_ok(const struct fz_layout *l, uint32_t addr, uint32_t len)
{
    return fz_rw_ok(l, addr, len) || span_inside(addr, len, l->flash_start, l->flash_end);
}

bool fz_fn_ok(const struct fz_layout *l, uint32_t fn)
{
    return fn == 0 || span_inside(fn & ~THUMB_BIT, THUMB_INSN_BYTES, l->flash_start, l->flash_end);
}

static uint32_t pick_mmio(uint32_t *rng)
{
    switch (fz_below(rng, 4)) {
    case 0:
        return UART0_BASE;
    case 1:
        return FRAM_I2C_BASE;
    case 2:
        return SCS_SYSTICK;
    default:
        return SCS_MPU_TYPE;
    }
}

/* A hostile address: never one the kernel should let this app use, except
 * by chance for the random ones (filtered by the callers). */
static uint32_t pick_hostile(uint32_t *rng, const struct fz_layout *l)
{
    switch (fz_below(rng, 12)) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 2:
        return KERNEL_RAM_BASE + (fz_rand(rng) % KERNEL_RAM_SPAN);
    case 3:
        return l->ram_start - 1 - fz_below(rng, NEIGHBOUR_SPAN); /* the app below */
    case 4:
        return l->ram_end + fz_below(rng, NEIGHBOUR_SPAN); /* the app above */
    case 5:
        return l->grant_start + fz_below(rng, SMALL_LEN_MAX); /* our own grants */
    case 6:
        return l->brk - 1 - fz_below(rng, 4); /* straddles the break */
    case 7:
        return pick_mmio(rng);
    case 8:
        return fz_below(rng, 2) ? l->flash_start : l->flash_end - fz_below(rng, 8);
    case 9:
        return KERNEL_FLASH_BASE + fz_below(rng, KERNEL_RAM_SPAN);
    case 10:
        return TOP_OF_SPACE + fz_below(rng, 16);
    default:
        return fz_rand(rng);
    }
}

static uint32_t scratch_addr(void)
{
    return (uint32_t)(uintptr_t)fz_scratch;
}

static bool in_scratch(uint32_t addr, uint32_t len)
{
    return span_inside(addr, len, scratch_addr(), scratch_addr() + FZ_SCRATCH_SIZE);
}

static uint32_t pick_len(uint32_t *rng, uint32_t addr)
{
    switch (fz_below(rng, 10)) {
    case 0:
        return 0;
    case 1:
        return 1 + fz_below(rng, SMALL_LEN_MAX);
    case 2:
        return FZ_SCRATCH_SIZE;
    case 3:
        return 0x1000u;
    case 4:
        return 0x7fffffffu;
    case 5:
        return 0x80000000u;
    case 6:
        return 0xffffffffu;
    case 7:
        return 0u - addr; /* ends exactly at the top of the space */
    case 8:
        return 0u - addr + 1 + fz_below(rng, SMALL_LEN_MAX); /* wraps past it */
    default:
        return fz_rand(rng);
    }
}

struct fz_buf fz_pick_buf(uint32_t *rng, const struct fz_layout *l)
{
    struct fz_buf b;

    if (fz_below(rng, 4) == 0) {
        /* Our own scratch, sometimes with a length that runs past it. */
        uint32_t off = fz_below(rng, FZ_SCRATCH_SIZE);
        b.addr = scratch_addr() + off;
        b.len = fz_below(rng, 2) ? fz_below(rng, FZ_SCRATCH_SIZE - off + 1) : pick_len(rng, b.addr);
    } else {
        b.addr = pick_hostile(rng, l);
        b.len = pick_len(rng, b.addr);
    }
    /* Anything else of ours the kernel would accept becomes the scratch. */
    if (b.len != 0 && fz_rw_ok(l, b.addr, b.len) && !in_scratch(b.addr, b.len)) {
        b.addr = scratch_addr();
        b.len = FZ_SCRATCH_SIZE;
    }
    return b;
}

uint32_t fz_pick_addr(uint32_t *rng, const struct fz_layout *l)
{
    uint32_t a = fz_below(rng, 4) == 0 ? scratch_addr() + fz_below(rng, FZ_SCRATCH_SIZE)
                                       : pick_hostile(rng, l);

    /* A kernel may write one byte here (yield's result): never our stack. */
    if (fz_rw_ok(l, a, 1) && !in_scratch(a, 1))
        a = scratch_addr();
    return a;
}

uint32_t fz_pick_fn(uint32_t *rng, const struct fz_layout *l, uint32_t real)
{
    switch (fz_below(rng, 8)) {
    case 0:
        return 0;
    case 1:
    case 2:
        return real;
    case 3:
        return real + THUMB_INSN_BYTES; /* in our flash, but not a function */
    case 4:
        return l->flash_start | THUMB_BIT; /* our TBF header */
    case 5:
        return (l->flash_end - fz_below(rng, 2 * THUMB_INSN_BYTES)) | THUMB_BIT;
    case 6:
        return scratch_addr() | THUMB_BIT; /* RAM: never executable */
    default:
        return pick_hostile(rng, l) | THUMB_BIT;
    }
}
