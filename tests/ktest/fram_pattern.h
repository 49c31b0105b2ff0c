/*
 * The seeded byte pattern the FRAM persistence ktests write and check.
 * tests/qemu/test_fram.py computes the same bytes to check the image file:
 * keep the two in step.
 */
#ifndef TESTS_KTEST_FRAM_PATTERN_H
#define TESTS_KTEST_FRAM_PATTERN_H

#include <stdint.h>

#define FRAM_PATTERN_SEED 0x5EEDu

/* A byte that depends on both halves of the address, so a swapped or
 * truncated address byte shows up as a mismatch. */
static inline uint8_t fram_pattern(uint32_t addr)
{
    uint32_t x = (addr + FRAM_PATTERN_SEED) * 2654435761u;

    return (uint8_t)((x >> 24) ^ (addr >> 8) ^ addr);
}

#endif /* TESTS_KTEST_FRAM_PATTERN_H */
