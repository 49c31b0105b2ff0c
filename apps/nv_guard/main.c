/*
 * nv_guard: the witness app. It keeps a patterned block at the start of its
 * own storage region and keeps checking it while hostile apps run beside
 * it, printing one line per round, so tests can tell that the kernel kept
 * another app's storage (and its RAM, and the CPU) away from it.
 *
 * On start it verifies the block a previous boot left (that is how a test
 * checks a hostile boot changed nothing), then for NVG_ROUNDS rounds it
 * sleeps, reads the block back and compares; every NVG_REWRITE_EVERY rounds
 * it writes a new generation first. Exit 0 if every check passed, 1 on a
 * mismatch or storage error, 3 if the kernel has no storage driver.
 */
#include <stdio.h>

#include "nvg_io.h"
#include "nvg_pattern.h"
#include "userland/alarm.h"

#ifndef NVG_ROUNDS
#define NVG_ROUNDS 40u
#endif
#define NVG_REWRITE_EVERY 4u
#define NVG_SLEEP_MS      10u
#define NVG_BLOCK_MAX     256u
#define EXIT_MISMATCH     1
#define EXIT_NO_DRIVER    3

static uint8_t block[NVG_BLOCK_MAX];
static uint8_t fresh[NVG_BLOCK_MAX];

static int verify(size_t len, uint32_t gen, const char *when)
{
    int rc = nvg_read(0, block, len);
    size_t bad;

    if (rc != 0) {
        printf("nv_guard: read failed (%s): error %d\n", when, rc);
        return EXIT_MISMATCH;
    }
    bad = nvg_first_bad(block, len, gen);
    if (bad != len) {
        printf("nv_guard: MISMATCH (%s): generation %lu, first bad byte %u (%02x)\n", when,
               (unsigned long)gen, (unsigned)bad, block[bad]);
        return EXIT_MISMATCH;
    }
    return 0;
}

int main(void)
{
    uint32_t size = 0, gen = 0;
    size_t len;
    int rc = nvg_exists();

    if (rc != 0) {
        printf("nv_guard: no storage driver (error %d)\n", rc);
        return EXIT_NO_DRIVER;
    }
    rc = nvg_size(&size);
    if (rc != 0 || size <= NVG_HDR_SIZE) {
        printf("nv_guard: get size failed: error %d, size %lu\n", rc, (unsigned long)size);
        return EXIT_MISMATCH;
    }
    len = size < NVG_BLOCK_MAX ? size : NVG_BLOCK_MAX;
    if (nvg_read(0, block, len) == 0 && nvg_has_block(block, len, &gen)) {
        if (verify(len, gen, "at start") != 0)
            return EXIT_MISMATCH;
        printf("nv_guard: found generation %lu, %u bytes intact\n", (unsigned long)gen,
               (unsigned)len);
    } else {
        printf("nv_guard: no block yet (region of %lu bytes)\n", (unsigned long)size);
    }
    for (uint32_t r = 1; r <= NVG_ROUNDS; r++) {
        if (r % NVG_REWRITE_EVERY == 1) {
            gen++;
            nvg_fill(fresh, len, gen);
            rc = nvg_write(0, fresh, len);
            if (rc != 0) {
                printf("nv_guard: write failed: error %d\n", rc);
                return EXIT_MISMATCH;
            }
        }
        tock_alarm_sleep_ms(NVG_SLEEP_MS);
        if (verify(len, gen, "round") != 0)
            return EXIT_MISMATCH;
        printf("nv_guard: round %lu ok (generation %lu)\n", (unsigned long)r, (unsigned long)gen);
    }
    printf("nv_guard: done, %u rounds, generation %lu\n", (unsigned)NVG_ROUNDS, (unsigned long)gen);
    return 0;
}
