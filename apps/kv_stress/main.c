/*
 * kv_stress: a workload for power cuts on the key-value store
 * (libnvstorage/nvs_kv.h), in the part [AREA_OFF, AREA_OFF + AREA_SIZE)
 * of the app's region.
 *
 * Generation g is one batch: "gen" = g, "a" and "b" = values derived from
 * g (their lengths vary with g), "c" present only in even generations, a
 * value for g added to the list "log" (which keeps the last LOG_KEEP: the
 * oldest is deleted by index in the same batch), and every BLOB_EVERY
 * generations a BLOB_LEN-byte "blob". After the batch, a single put of
 * "single" = g. So whatever a power cut interrupts, the store must show
 * one whole generation G, with "single" equal to G or G - 1. Each boot
 * checks exactly that (and that no other key exists) before adding
 * GENERATIONS more; the store fills and compacts every few generations.
 *
 * Output (parsed by tools/powercut_kv.py and the QEMU tests):
 *   kv_stress: open: <nvs_strerror>
 *   kv_stress: loaded generation G single S keys K
 *   kv_stress: BAD <what>                     (never expected)
 *   kv_stress: batch G begin / kv_stress: batch G done / kv_stress: single G done
 *   kv_stress: done
 * Exit status 0, or 1 on a failed call or a BAD check.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kv.h"

#define AREA_OFF    512u
#define AREA_SIZE   3584u
#define SLOTS       24u
#define GENERATIONS 6u
#define LOG_KEEP    3u
#define BLOB_EVERY  5u
#define BLOB_LEN    300u
#define MAX_VALUE   BLOB_LEN
#define VAR_BASE    8u /* "a" and "b": VAR_BASE + g % VAR_SPAN bytes */
#define VAR_SPAN    40u
#define SALT_A      0x11u
#define SALT_B      0x22u
#define SALT_C      0x33u
#define SALT_LOG    0x44u
#define SALT_BLOB   0x55u
#define GOLDEN      0x9Eu
#define KEY_CAP     8u

static struct nvs_kv kv;
static struct nvs_kv_slot slots[SLOTS];
static uint8_t buf[MAX_VALUE];
static uint8_t want[MAX_VALUE];

static size_t derive(uint32_t g, uint8_t salt, size_t len, uint8_t *out)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)(g * GOLDEN + salt + i * 7u);
    return len;
}

static size_t var_len(uint32_t g)
{
    return VAR_BASE + g % VAR_SPAN;
}

static int bad(const char *what, uint32_t g)
{
    printf("kv_stress: BAD %s (generation %lu)\n", what, (unsigned long)g);
    return 1;
}

/* Does key hold exactly [derive(g, salt, len)] at index? */
static int holds(const char *key, unsigned index, uint32_t g, uint8_t salt, size_t len)
{
    size_t got = 0;
    int err = nvs_kv_get(&kv, key, strlen(key), index, buf, sizeof(buf), &got);
    derive(g, salt, len, want);
    return err == NVS_OK && got == len && memcmp(buf, want, len) == 0;
}

static uint32_t u32_of(const char *key, int *err)
{
    uint32_t v = 0;
    size_t got = 0;
    *err = nvs_kv_get(&kv, key, strlen(key), 0, &v, sizeof(v), &got);
    if (*err == NVS_OK && got != sizeof(v))
        *err = NVS_ERR_CORRUPT;
    return v;
}

/* The store must show one whole generation; *gen gets it (0: empty). */
static int check(uint32_t *gen)
{
    unsigned count = 0, cursor = 0, keys = 0, expect_keys;
    uint32_t g, single, oldest;
    size_t klen;
    char key[KEY_CAP];
    int err;

    g = u32_of("gen", &err);
    if (err == NVS_ERR_NOT_FOUND) {
        *gen = 0;
        if (kv.n != 0)
            return bad("values without a generation", 0);
        printf("kv_stress: empty store\n");
        return 0;
    }
    if (err != NVS_OK)
        return bad(nvs_strerror(err), 0);
    single = u32_of("single", &err);
    if (err == NVS_ERR_NOT_FOUND && g == 1)
        single = 0;
    else if (err != NVS_OK || (single != g && single + 1 != g))
        return bad("single is not this generation or the one before", g);
    if (!holds("a", 0, g, SALT_A, var_len(g)) || !holds("b", 0, g, SALT_B, var_len(g + 1)))
        return bad("a or b from another generation", g);
    if ((g % 2 == 0) != holds("c", 0, g, SALT_C, sizeof(uint32_t)))
        return bad("c present in the wrong generation", g);
    oldest = g > LOG_KEEP ? g - LOG_KEEP + 1 : 1;
    if (nvs_kv_count(&kv, "log", 3, &count) != NVS_OK || count != g - oldest + 1)
        return bad("log has the wrong number of values", g);
    for (unsigned i = 0; i < count; i++)
        if (!holds("log", i, oldest + i, SALT_LOG, sizeof(uint32_t)))
            return bad("log values out of order", g);
    if (g >= BLOB_EVERY && !holds("blob", 0, g - g % BLOB_EVERY, SALT_BLOB, BLOB_LEN))
        return bad("blob from another generation", g);
    while (nvs_kv_next(&kv, &cursor, key, sizeof(key), &klen) == NVS_OK)
        keys++;
    expect_keys = 4 + (g % 2 == 0) + (single != 0) + (g >= BLOB_EVERY);
    if (keys != expect_keys)
        return bad("unexpected keys", g);
    printf("kv_stress: loaded generation %lu single %lu keys %u\n", (unsigned long)g,
           (unsigned long)single, keys);
    *gen = g;
    return 0;
}

static int generation(uint32_t g)
{
    static uint8_t a[VAR_BASE + VAR_SPAN], b[VAR_BASE + VAR_SPAN], blob[BLOB_LEN];
    uint8_t c[sizeof(uint32_t)], lg[sizeof(uint32_t)];
    struct nvs_kv_op ops[7];
    unsigned n = 0, count = 0;
    int err;

    ops[n++] = (struct nvs_kv_op){
        .kind = NVS_KV_PUT, .key = "gen", .klen = 3, .value = &g, .vlen = sizeof(g)};
    ops[n++] = (struct nvs_kv_op){.kind = NVS_KV_PUT,
                                  .key = "a",
                                  .klen = 1,
                                  .value = a,
                                  .vlen = derive(g, SALT_A, var_len(g), a)};
    ops[n++] = (struct nvs_kv_op){.kind = NVS_KV_PUT,
                                  .key = "b",
                                  .klen = 1,
                                  .value = b,
                                  .vlen = derive(g, SALT_B, var_len(g + 1), b)};
    if (g % 2 == 0)
        ops[n++] = (struct nvs_kv_op){.kind = NVS_KV_PUT,
                                      .key = "c",
                                      .klen = 1,
                                      .value = c,
                                      .vlen = derive(g, SALT_C, sizeof(c), c)};
    else
        ops[n++] = (struct nvs_kv_op){.kind = NVS_KV_DELETE, .key = "c", .klen = 1};
    err = nvs_kv_count(&kv, "log", 3, &count);
    if (err != NVS_OK)
        return err;
    if (count >= LOG_KEEP)
        ops[n++] =
            (struct nvs_kv_op){.kind = NVS_KV_DELETE_AT, .key = "log", .klen = 3, .index = 0};
    ops[n++] = (struct nvs_kv_op){.kind = NVS_KV_ADD,
                                  .key = "log",
                                  .klen = 3,
                                  .value = lg,
                                  .vlen = derive(g, SALT_LOG, sizeof(lg), lg)};
    if (g % BLOB_EVERY == 0)
        ops[n++] = (struct nvs_kv_op){.kind = NVS_KV_PUT,
                                      .key = "blob",
                                      .klen = 4,
                                      .value = blob,
                                      .vlen = derive(g, SALT_BLOB, BLOB_LEN, blob)};
    printf("kv_stress: batch %lu begin\n", (unsigned long)g);
    err = nvs_kv_batch(&kv, ops, n);
    if (err != NVS_OK)
        return err;
    printf("kv_stress: batch %lu done\n", (unsigned long)g);
    err = nvs_kv_put(&kv, "single", 6, &g, sizeof(g));
    if (err == NVS_OK)
        printf("kv_stress: single %lu done\n", (unsigned long)g);
    return err;
}

int main(void)
{
    uint32_t g = 0;
    int err = nvs_kv_open(&kv, AREA_OFF, AREA_SIZE, slots, SLOTS);

    printf("kv_stress: open: %s\n", nvs_strerror(err));
    if (err != NVS_OK)
        return 1;
    if (check(&g) != 0)
        return 1;
    for (unsigned i = 0; i < GENERATIONS; i++) {
        err = generation(++g);
        if (err != NVS_OK) {
            printf("kv_stress: generation %lu failed: %s\n", (unsigned long)g, nvs_strerror(err));
            return 1;
        }
    }
    printf("kv_stress: done (epoch %lu)\n", (unsigned long)kv.epoch);
    return 0;
}
