/*
 * bench_kv: what the key-value store (libnvstorage/nvs_kv.h) costs, in
 * instructions (-icount shift=0: 1 instruction = 1 ns; the alarm tick is
 * 40 instructions). The store takes the whole 4 KiB region.
 *
 *   raw_read_32 / raw_write_32   one nvs_read / nvs_write of 32 bytes: the
 *                                floor the store's figures are compared to
 *   kv_get_32                    get of a 32-byte value under an 8-byte key
 *   kv_put_32                    put replacing it (no compaction in it);
 *   kv_put_32_new                put of a new 8-byte key
 *   kv_get_32_nN                 the get with N other keys stored (growth)
 *   kv_open_nN                   open (scan and index) of a store of N keys
 *   kv_compact_nN                a compaction of a store of N keys
 *   kv_put_32_amortized_nN       mean of many replacing puts, compactions
 *                                included, with N other keys stored
 *   kv_entry_bytes / kv_overhead_bytes   log bytes of the 32-byte entry
 *                                and those beyond key and value
 * Single operations are timed one by one (the mean and the minimum over
 * repetitions are printed where they differ); the timer's own cost is
 * measured and subtracted.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kv.h"
#include "userland/alarm.h"

#define VALUE_LEN      32u
#define KEY_LEN        8u
#define SMALL_LEN      2u /* the other keys' values */
#define REGION_BYTES   4096u
#define SLOTS          128u
#define REPS           20u
#define AMORTIZED_REPS 60u
#define KEY_TEXT       16u

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

static struct nvs_kv kv;
static struct nvs_kv_slot slots[SLOTS];
static uint8_t value[VALUE_LEN];
static uint8_t out[VALUE_LEN];
static const char bench_key[KEY_LEN + 1] = "bench-k1";
static uint32_t timer_cost;
static int failed;

static uint32_t now(void)
{
    uint32_t t = 0;
    tock_alarm_now(&t);
    return t;
}

static void check(const char *what, int err)
{
    if (err != NVS_OK && !failed) {
        printf("BENCH bench_kv FAIL %s: %s\n", what, nvs_strerror(err));
        failed = 1;
    }
}

/* Instructions one call of fn took. */
#define TIME(var, call)                                                                            \
    do {                                                                                           \
        uint32_t t0_ = now();                                                                      \
        check(#call, call);                                                                        \
        uint32_t t_ = (now() - t0_) * INSTR_PER_TICK;                                              \
        var = t_ > timer_cost ? t_ - timer_cost : 0;                                               \
    } while (0)

static void key_of(unsigned i, char key[KEY_LEN])
{
    char tmp[KEY_TEXT];
    snprintf(tmp, sizeof(tmp), "k%07u", i % 10000000u);
    memcpy(key, tmp, KEY_LEN);
}

/* An empty store, then n keys with 2-byte values, then the bench key. */
static void fill(unsigned n)
{
    char key[KEY_LEN];
    check("wipe", nvs_kv_wipe(&kv));
    for (unsigned i = 0; i < n; i++) {
        key_of(i, key);
        check("fill", nvs_kv_put(&kv, key, KEY_LEN, &i, SMALL_LEN));
    }
    check("fill", nvs_kv_put(&kv, bench_key, KEY_LEN, value, VALUE_LEN));
}

static void report(const char *name, uint64_t sum, uint32_t min, unsigned reps)
{
    printf("BENCH %s=%lu min=%lu reps=%u\n", name, (unsigned long)(sum / reps), (unsigned long)min,
           reps);
}

static void time_get(const char *name)
{
    uint64_t sum = 0;
    uint32_t min = UINT32_MAX, t;
    size_t len;
    for (unsigned r = 0; r < REPS; r++) {
        TIME(t, nvs_kv_get(&kv, bench_key, KEY_LEN, 0, out, sizeof(out), &len));
        sum += t;
        min = t < min ? t : min;
    }
    report(name, sum, min, REPS);
}

/* Replacing puts: only those without a compaction, or all of them. */
static void time_puts(const char *name, unsigned reps, int skip_compactions)
{
    uint64_t sum = 0;
    uint32_t min = UINT32_MAX, t;
    unsigned counted = 0;
    for (unsigned r = 0; r < reps; r++) {
        uint32_t epoch = kv.epoch;
        value[0] = (uint8_t)r;
        TIME(t, nvs_kv_put(&kv, bench_key, KEY_LEN, value, VALUE_LEN));
        if (skip_compactions && kv.epoch != epoch)
            continue;
        sum += t;
        min = t < min ? t : min;
        counted++;
    }
    report(name, sum, min, counted ? counted : 1);
}

static void raw(void)
{
    uint64_t rs = 0, ws = 0;
    uint32_t rmin = UINT32_MAX, wmin = UINT32_MAX, t;
    for (unsigned r = 0; r < REPS; r++) {
        TIME(t, nvs_write(0, value, VALUE_LEN));
        ws += t;
        wmin = t < wmin ? t : wmin;
        TIME(t, nvs_read(0, out, VALUE_LEN));
        rs += t;
        rmin = t < rmin ? t : rmin;
    }
    report("raw_read_32", rs, rmin, REPS);
    report("raw_write_32", ws, wmin, REPS);
}

int main(void)
{
    static const unsigned sizes[] = {1, 10, 50, 100};
    char name[40], key[KEY_LEN];
    uint32_t t0, t;
    uint64_t size = 0;

    if (set_instr_per_tick() != 0) {
        printf("BENCH %s FAIL alarm frequency\n", APP_NAME);
        return 1;
    }

    t0 = now();
    timer_cost = (now() - t0) * INSTR_PER_TICK;
    check("nvs_size", nvs_size(&size));
    if (failed || size < REGION_BYTES)
        return 1;
    for (unsigned i = 0; i < VALUE_LEN; i++)
        value[i] = (uint8_t)(i * 3);
    raw();
    check("open", nvs_kv_open(&kv, 0, REGION_BYTES, slots, SLOTS));

    fill(0);
    printf("BENCH kv_entry_bytes=%u\n", (unsigned)kv.live);
    printf("BENCH kv_overhead_bytes=%u\n", (unsigned)kv.live - KEY_LEN - VALUE_LEN);
    printf("BENCH kv_index_bytes_per_value=%u\n", (unsigned)sizeof(struct nvs_kv_slot));
    time_get("kv_get_32");
    time_puts("kv_put_32", REPS, 1);
    uint64_t sum = 0;
    uint32_t min = UINT32_MAX;
    for (unsigned i = 0; i < REPS; i++) {
        key_of(i, key);
        TIME(t, nvs_kv_put(&kv, key, KEY_LEN, value, VALUE_LEN));
        sum += t;
        min = t < min ? t : min;
    }
    report("kv_put_32_new", sum, min, REPS);

    for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        unsigned n = sizes[s];
        fill(n);
        snprintf(name, sizeof(name), "kv_open_n%u", n);
        TIME(t, nvs_kv_open(&kv, 0, REGION_BYTES, slots, SLOTS));
        printf("BENCH %s=%lu keys=%u log_bytes=%u\n", name, (unsigned long)t, kv.n,
               (unsigned)kv.live);
        snprintf(name, sizeof(name), "kv_get_32_n%u", n);
        time_get(name);
        snprintf(name, sizeof(name), "kv_compact_n%u", n);
        TIME(t, nvs_kv_compact(&kv));
        printf("BENCH %s=%lu\n", name, (unsigned long)t);
        snprintf(name, sizeof(name), "kv_put_32_amortized_n%u", n);
        time_puts(name, AMORTIZED_REPS, 0);
    }
    return failed;
}
