/*
 * settings: an app's configuration kept as one atomic record
 * (libnvstorage/nvs_record.h).
 *
 * Every field is derived from the generation number, so the app can tell a
 * whole record from a mix of two versions without trusting the library's
 * CRC: that is what lets the power-cut test catch a torn record. The
 * profile is large enough that one save spans several device writes.
 *
 * Output (parsed by the QEMU tests):
 *   settings: loaded generation G slots valid=V damaged=D
 *   settings: no settings yet, using defaults
 *   settings: TORN record ...          (never expected)
 *   settings: saving generation G / settings: saved generation G
 *   settings: done
 * Exit status 0, or 1 if storage failed or the record was torn.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_record.h"

#define UPDATES_PER_BOOT 4
#define PROFILE_BYTES    480
#define NAME_BYTES       16
#define PERCENT          100
#define VOLUME_STEP      7
#define PROFILE_STEP     13

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
    printf("settings: done\n");
    return 0;
}
