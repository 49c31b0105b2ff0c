/*
 * fz_rng: the fuzzer's random numbers: xorshift32, so one seed gives the
 * same call sequence on every run (the kernel's answers may still differ
 * with timing, e.g. how far an alarm has got). Never returns 0 for a
 * nonzero state.
 */
#ifndef APPS_SYSCALL_FUZZ_FZ_RNG_H
#define APPS_SYSCALL_FUZZ_FZ_RNG_H

#include <stdint.h>

#define FZ_XS_A 13
#define FZ_XS_B 17
#define FZ_XS_C 5

static inline uint32_t fz_rand(uint32_t *state)
{
    uint32_t x = *state;

    x ^= x << FZ_XS_A;
    x ^= x >> FZ_XS_B;
    x ^= x << FZ_XS_C;
    *state = x;
    return x;
}

/* Uniform enough in [0, n) for n much smaller than 2^32. */
static inline uint32_t fz_below(uint32_t *state, uint32_t n)
{
    return fz_rand(state) % n;
}

#endif /* APPS_SYSCALL_FUZZ_FZ_RNG_H */
