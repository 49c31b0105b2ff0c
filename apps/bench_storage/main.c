/*
 * bench_storage: what storage costs an app, in instructions (-icount
 * shift=0: 1 instruction = 1 ns; the alarm tick is 40 instructions).
 *
 *   nvs_get_size      driver 0x50004 command 1 (get size) and its upcall
 *                     through yield-wait-for: the round trip with no FRAM
 *                     transfer (the region is allocated before timing).
 *   nvs_read_N,       one synchronous nvs_read / nvs_write of N bytes
 *   nvs_write_N       (libnvstorage): share the buffer, command, sleep in
 *                     yield-wait-for, unshare; the FRAM transfer included.
 *   grant_storage_bytes  what the storage capsule's grant takes from this
 *                     process's RAM block (memop "grant start" before/after).
 *
 * Each figure is the mean over a number of repetitions timed with the
 * alarm's "now" command, minus an empty loop timed the same way. The
 * matching floor, the raw FRAM driver inside the kernel, is the ktest
 * tests/ktest/fram_bench.c; tools/bench.py sets the two side by side.
 */
#include <stdint.h>
#include <stdio.h>

#include "libnvstorage/nvs.h"
#include "userland/alarm.h"
#include "userland/syscall.h"

#define TENTHS        10u
#define MAX_LEN       4096u
#define MIN_REPS      8u
#define BYTES_PER_FIG 4096u /* repetitions move at least this much */
#define SIZE_REPS     2000u

/* Instructions per alarm tick: under -icount shift=0 one instruction takes
 * 1 ns, so 10^9 / the alarm's frequency (40 at 25 MHz on mps2-an385, 50 at
 * 20 MHz on mps2-an505). Set once at the start of main, before any timing. */
#define NS_PER_SECOND  1000000000u
#define INSTR_PER_TICK instr_per_tick
static uint32_t instr_per_tick;

static int set_instr_per_tick(void)
{
    uint32_t hz = 0;

    if (tock_alarm_frequency(&hz) != 0 || hz == 0)
        return -1;
    instr_per_tick = NS_PER_SECOND / hz;
    return 0;
}

static uint8_t buf[MAX_LEN];
static const uint32_t lengths[] = {1, 64, 512, 4096};

static uint32_t now_ticks(void)
{
    uint32_t t = 0;
    tock_alarm_now(&t);
    return t;
}

static uint32_t grant_start(void)
{
    uint32_t g = 0;
    tock_status_u32(tock_memop(MEMOP_GRANT_START, 0), &g);
    return g;
}

/* One get-size round trip through the raw wrappers (libnvstorage remembers the
 * size after the first call, so nvs_size would not reach the kernel). */
static int get_size_once(void)
{
    int rc = tock_command_ok(DRIVER_NVSTORAGE, NVS_CMD_GET_SIZE, 0, 0);
    if (rc != TOCK_SUCCESS)
        return rc;
    return (int)tock_yield_wait_for(DRIVER_NVSTORAGE, NVS_UPCALL_GET_SIZE).arg0;
}

enum op { OP_EMPTY, OP_SIZE, OP_READ, OP_WRITE };

/* Ticks for reps turns of op on len bytes; *rc gets the first error. */
static uint32_t time_op(enum op op, uint32_t len, uint32_t reps, int *rc)
{
    uint32_t t0 = now_ticks();

    for (uint32_t i = 0; i < reps && *rc == 0; i++) {
        switch (op) {
        case OP_EMPTY:
            __asm__ volatile("" ::: "memory");
            break;
        case OP_SIZE:
            *rc = get_size_once();
            break;
        case OP_READ:
            *rc = nvs_read(0, buf, len);
            break;
        case OP_WRITE:
            *rc = nvs_write(0, buf, len);
            break;
        }
    }
    return now_ticks() - t0;
}

static void report(const char *name, enum op op, uint32_t len, uint32_t reps)
{
    int rc = 0;
    uint64_t t = time_op(op, len, reps, &rc), e;

    if (rc != 0) {
        printf("BENCH %s FAIL error %d\n", name, rc);
        return;
    }
    e = time_op(OP_EMPTY, len, reps, &rc);
    t = (t > e ? t - e : 0) * INSTR_PER_TICK * TENTHS / reps;
    printf("BENCH %s=%lu.%lu reps=%lu\n", name, (unsigned long)(t / TENTHS),
           (unsigned long)(t % TENTHS), (unsigned long)reps);
}

int main(void)
{
    uint64_t size = 0;
    uint32_t g0 = grant_start();
    char name[32];
    int rc = nvs_size(&size);

    if (set_instr_per_tick() != 0) {
        printf("BENCH %s FAIL alarm frequency\n", APP_NAME);
        return 1;
    }

    if (rc != NVS_OK || size < MAX_LEN) {
        printf("BENCH bench_storage FAIL region: %s, %lu bytes\n", nvs_strerror(rc),
               (unsigned long)size);
        return 1;
    }
    printf("BENCH grant_storage_bytes=%lu\n", (unsigned long)(g0 - grant_start()));
    report("nvs_get_size", OP_SIZE, 0, SIZE_REPS);
    for (unsigned i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        uint32_t len = lengths[i];
        uint32_t reps = BYTES_PER_FIG / len < MIN_REPS ? MIN_REPS : BYTES_PER_FIG / len;

        snprintf(name, sizeof(name), "nvs_read_%lu", (unsigned long)len);
        report(name, OP_READ, len, reps);
        snprintf(name, sizeof(name), "nvs_write_%lu", (unsigned long)len);
        report(name, OP_WRITE, len, reps);
    }
    return 0;
}
