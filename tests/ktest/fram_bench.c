/*
 * ktest fram_bench: instructions per byte for raw FRAM reads and writes of
 * 1, 16, 64, 256, 512 and 4096 bytes through the nvram HAL and the I2C FRAM driver
 * (asynchronous path: start, then deferred passes until the callback).
 *
 * Run under `-icount shift=0`: virtual time advances 1 ns per instruction,
 * and the board's CMSDK dual timer ticks every 10^9 / BOARD_SYSCLK_HZ ns (40
 * instructions at 25 MHz on mps2-an385, 50 at 20 MHz on mps2-an505).
 * Each figure is averaged over enough repetitions to move >= 4 KiB.
 * Prints one parseable line per figure:
 *   BENCH fram_read_256 instr_per_byte=123.4 reps=16
 * The figures include the loop overhead of this file (a few instructions
 * per operation). Overwrites the start of the FRAM.
 */
#include <stdint.h>

#include BOARD_FRAM_H /* boards/<board>/fram.h, named by the build */
#include BOARD_H      /* boards/<board>/board.h: clock, dual timer */
#include "kernel/arch/cortex-m/arch.h"
#include "tests/ktest/fram_ktest.h"

/* The board's CMSDK APB dual timer (board.h: BOARD_DUALTIMER_BASE), timer
 * 1, as a free-running 32-bit down-counter at the board's clock. */
#define DUALTIMER_BASE        BOARD_DUALTIMER_BASE
#define DUALTIMER_LOAD        (*(volatile uint32_t *)(DUALTIMER_BASE + 0x00u))
#define DUALTIMER_VALUE       (*(volatile uint32_t *)(DUALTIMER_BASE + 0x04u))
#define DUALTIMER_CTRL        (*(volatile uint32_t *)(DUALTIMER_BASE + 0x08u))
#define DUALTIMER_CTRL_SIZE32 (1u << 1)
#define DUALTIMER_CTRL_ENABLE (1u << 7)
#define NS_PER_SECOND         1000000000u
#define INSTR_PER_TICK        (NS_PER_SECOND / BOARD_SYSCLK_HZ) /* 1 ns per instruction */
#define BENCH_MIN_BYTES       4096u
#define BENCH_MIN_REPS        8u
#define BENCH_MAX_LEN         4096u
#define TENTHS                10u

static uint8_t buf[BENCH_MAX_LEN];
static const uint32_t lengths[] = {1, 16, 64, 256, 512, 4096};

static void timer_start(void)
{
    DUALTIMER_CTRL = 0;
    DUALTIMER_LOAD = 0xFFFFFFFFu;
    DUALTIMER_CTRL = DUALTIMER_CTRL_ENABLE | DUALTIMER_CTRL_SIZE32;
}

/* One figure; false if an operation failed. */
static bool bench(struct nvram *nv, bool write, uint32_t len)
{
    uint32_t reps = BENCH_MIN_BYTES / len, r, t0, ticks;
    uint64_t tenths;
    enum nvram_status st = NVRAM_OK;

    if (reps < BENCH_MIN_REPS)
        reps = BENCH_MIN_REPS;
    t0 = DUALTIMER_VALUE;
    for (r = 0; r < reps && st == NVRAM_OK; r++)
        st = write ? ktest_nvram_op(nv, NULL, buf, 0, len, NULL)
                   : ktest_nvram_op(nv, buf, NULL, 0, len, NULL);
    ticks = t0 - DUALTIMER_VALUE; /* down-counter */
    if (st != NVRAM_OK) {
        ktest_say("BENCH fram_%s_%u FAIL %s", write ? "write" : "read", (unsigned)len,
                  nvram_status_name(st));
        return false;
    }
    tenths = (uint64_t)ticks * INSTR_PER_TICK * TENTHS / ((uint64_t)reps * len);
    ktest_say("BENCH fram_%s_%u instr_per_byte=%u.%u reps=%u", write ? "write" : "read",
              (unsigned)len, (unsigned)(tenths / TENTHS), (unsigned)(tenths % TENTHS),
              (unsigned)reps);
    return true;
}

void ktest_main(void);
void ktest_main(void)
{
    struct nvram *nv = board_fram_init();
    bool ok = true;
    unsigned i;

    if (nvram_size(nv) == 0) {
        ktest_say("BENCH fram: FAIL (no FRAM)");
        arch_exit(1);
    }
    timer_start();
    for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        ok = bench(nv, false, lengths[i]) && ok;
        ok = bench(nv, true, lengths[i]) && ok;
    }
    ktest_say("BENCH fram: %s", ok ? "done" : "FAIL");
    arch_exit(ok ? 0 : 1);
}
