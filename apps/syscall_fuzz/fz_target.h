/*
 * fz_target: the addresses and lengths the syscall fuzzer aims at, and the
 * rules the kernel's answers must obey for them.
 *
 * Targets are what a hostile app would try: NULL, kernel RAM, the other
 * processes' RAM just outside this one's block, peripherals and the system
 * control space, this app's own flash and grant area, the last bytes before
 * the break, addresses and lengths that wrap the 32-bit space, huge
 * lengths, plus plain random words. The one buffer the kernel may accept
 * is fz_scratch: a random target that happens to land anywhere else in the
 * app's own RAM (its stack, its heap) is replaced by the scratch buffer, so
 * a capsule that later writes through an accepted buffer never corrupts the
 * fuzzer itself.
 */
#ifndef APPS_SYSCALL_FUZZ_FZ_TARGET_H
#define APPS_SYSCALL_FUZZ_FZ_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#define FZ_SCRATCH_SIZE 512u

/* The app's memory as the kernel reported it (memops 2-6 and sbrk 0). */
struct fz_layout {
    uint32_t ram_start, ram_end;
    uint32_t flash_start, flash_end;
    uint32_t grant_start;
    uint32_t brk;
};

struct fz_buf {
    uint32_t addr;
    uint32_t len;
};

extern uint8_t fz_scratch[FZ_SCRATCH_SIZE];

/* Ask the kernel for the layout; false if a memop failed. */
bool fz_layout_read(struct fz_layout *l);

/* A buffer to allow: usually hostile, sometimes (part of) fz_scratch. */
struct fz_buf fz_pick_buf(uint32_t *rng, const struct fz_layout *l);

/* A word for an address argument (yield's result byte, brk, command args). */
uint32_t fz_pick_addr(uint32_t *rng, const struct fz_layout *l);

/* An upcall function pointer: NULL, `real`, or something that is not one. */
uint32_t fz_pick_fn(uint32_t *rng, const struct fz_layout *l, uint32_t real);

/* Oracles: may the kernel accept this? */
bool fz_rw_ok(const struct fz_layout *l, uint32_t addr, uint32_t len);
bool fz_ro_ok(const struct fz_layout *l, uint32_t addr, uint32_t len);
bool fz_fn_ok(const struct fz_layout *l, uint32_t fn);

#endif /* APPS_SYSCALL_FUZZ_FZ_TARGET_H */
