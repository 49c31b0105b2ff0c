/*
 * settings: an app's configuration kept as one atomic record
 * (libnvstorage/nvs_record.h).
 *
 * Every field is derived from the generation number, so the app can tell a
 * whole record from a mix of two versions without trusting the library's
 * CRC: that is what lets the power-cut test catch a torn record. The
 * profile is large enough that one save spans several device writes.
 *
 * The same settings are also kept in the key-value store
 * (libnvstorage/nvs_kv.h, in [KV_OFF, KV_OFF + KV_SIZE) of the region), one
 * key per field, all written in one batch after the record saves: a boot
 * finds them all of one generation, or the record's power-cut tests see
 * "TORN" (the batch was not atomic).
 *
 * Output (parsed by the QEMU tests):
 *   settings: loaded generation G slots valid=V damaged=D
 *   settings: no settings yet, using defaults
 *   settings: TORN record ...          (never expected)
 *   settings: saving generation G / settings: saved generation G
 *   settings: kv generation G (brightness B volume V name N)   or  settings: kv empty
 *   settings: kv saved generation G
 *   settings: done
 * Exit status 0, or 1 if storage failed or the record was torn.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kv.h"
#include "libnvstorage/nvs_record.h"

#define UPDATES_PER_BOOT 4
#define PROFILE_BYTES    480
#define NAME_BYTES       16
#define PERCENT          100
#define VOLUME_STEP      7
#define PROFILE_STEP     13
#define KV_OFF           1536
#define KV_SIZE          2560
#define KV_SLOTS         8

struct settings {
    uint32_t generation;
    uint8_t brightness;
    uint8_t volume;
    char name[NAME_BYTES];
    uint8_t profile[PROFILE_BYTES];
};

static void derive(struct settings *s, uint32_t gen)
{
    memset(s, 0, sizeof(*s));
    s->generation = gen;
    s->brightness = (uint8_t)(gen % PERCENT);
    s->volume = (uint8_t)((gen * VOLUME_STEP) % PERCENT);
    snprintf(s->name, sizeof(s->name), "user-%lu", (unsigned long)gen);
    for (unsigned i = 0; i < PROFILE_BYTES; i++)
        s->profile[i] = (uint8_t)(gen * PROFILE_STEP + i);
}

static int whole(const struct settings *s)
{
    struct settings want;

    derive(&want, s->generation);
    return memcmp(&want, s, sizeof(want)) == 0;
}

static struct nvs_kv kv;
static struct nvs_kv_slot kv_slots[KV_SLOTS];

/* Read the fields kept as keys; they must all be of one generation. */
static int kv_load(void)
{
    struct settings want;
    uint32_t gen = 0;
    uint8_t b = 0, v = 0;
    char name[NAME_BYTES] = "";
    size_t len;
    int err = nvs_kv_open(&kv, KV_OFF, KV_SIZE, kv_slots, KV_SLOTS);

    if (err == NVS_OK)
        err = nvs_kv_get(&kv, "generation", 10, 0, &gen, sizeof(gen), &len);
    if (err == NVS_ERR_NOT_FOUND && kv.n == 0) {
        printf("settings: kv empty\n");
        return 0;
    }
    if (err == NVS_OK)
        err = nvs_kv_get(&kv, "brightness", 10, 0, &b, sizeof(b), &len);
    if (err == NVS_OK)
        err = nvs_kv_get(&kv, "volume", 6, 0, &v, sizeof(v), &len);
    if (err == NVS_OK)
        err = nvs_kv_get(&kv, "name", 4, 0, name, sizeof(name), &len);
    if (err != NVS_OK) {
        printf("settings: kv load failed: %s\n", nvs_strerror(err));
        return 1;
    }
    derive(&want, gen);
    if (want.brightness != b || want.volume != v || strcmp(want.name, name) != 0) {
        printf("settings: kv TORN (generation %lu with fields of another)\n", (unsigned long)gen);
        return 1;
    }
    printf("settings: kv generation %lu (brightness %u volume %u name %s)\n", (unsigned long)gen, b,
           v, name);
    return 0;
}

static int kv_save(const struct settings *s)
{
    struct nvs_kv_op ops[] = {
        {.kind = NVS_KV_PUT,
         .key = "generation",
         .klen = 10,
         .value = &s->generation,
         .vlen = sizeof(s->generation)},
        {.kind = NVS_KV_PUT, .key = "brightness", .klen = 10, .value = &s->brightness, .vlen = 1},
        {.kind = NVS_KV_PUT, .key = "volume", .klen = 6, .value = &s->volume, .vlen = 1},
        {.kind = NVS_KV_PUT,
         .key = "name",
         .klen = 4,
         .value = s->name,
         .vlen = strlen(s->name) + 1},
    };
    int err = nvs_kv_batch(&kv, ops, sizeof(ops) / sizeof(ops[0]));

    if (err != NVS_OK) {
        printf("settings: kv save failed: %s\n", nvs_strerror(err));
        return 1;
    }
    printf("settings: kv saved generation %lu\n", (unsigned long)s->generation);
    return 0;
}

int main(void)
{
    struct nvs_record rec = NVS_RECORD_INIT(0, sizeof(struct settings));
    static struct settings cur;
    int err = nvs_record_load(&rec, &cur);

    if (err == NVS_ERR_NO_RECORD) {
        printf("settings: no settings yet, using defaults\n");
        derive(&cur, 0);
    } else if (err != NVS_OK) {
        printf("settings: load failed: %s\n", nvs_strerror(err));
        return 1;
    } else if (!whole(&cur)) {
        printf("settings: TORN record (generation field %lu)\n", (unsigned long)cur.generation);
        return 1;
    } else {
        printf("settings: loaded generation %lu slots valid=%u damaged=%u\n",
               (unsigned long)cur.generation, rec.valid, rec.damaged);
    }
    printf("settings: name=%s brightness=%u volume=%u\n", cur.name, cur.brightness, cur.volume);
    for (int i = 0; i < UPDATES_PER_BOOT; i++) {
        uint32_t gen = cur.generation + 1;
        derive(&cur, gen);
        printf("settings: saving generation %lu\n", (unsigned long)gen);
        err = nvs_record_save(&rec, &cur);
        if (err != NVS_OK) {
            printf("settings: save failed: %s\n", nvs_strerror(err));
            return 1;
        }
        printf("settings: saved generation %lu\n", (unsigned long)gen);
    }
    if (kv_load() != 0 || kv_save(&cur) != 0)
        return 1;
    printf("settings: done\n");
    return 0;
}
