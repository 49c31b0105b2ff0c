/*
 * nvs_ot_settings: the settings model of OpenThread's platform layer
 * (otPlatSettingsGet / Set / Add / Delete / Wipe) over the key-value store
 * (nvs_kv.h), so that a settings layer written for that model ports with
 * little change: numeric 16-bit keys, each holding an ordered list of
 * values, read and deleted by index.
 *
 * Semantics (as OpenThread documents them):
 *  - get(key, index): copies at most *len bytes of the index-th value and
 *    sets *len to the value's full length; value NULL reads the length
 *    only; len NULL is a presence check. NOT_FOUND if absent.
 *  - set(key): the key's values become [value]; add(key): appended.
 *  - delete(key, index): that value (later ones move down), or with index
 *    -1 all of them; NOT_FOUND if absent.
 *  - wipe: everything gone.
 * Every change is atomic across power cuts (one store frame each).
 *
 * The return values use OpenThread's otError numbers, so a port can cast.
 * OpenThread's "sensitive keys" (secure storage) are not offered: the
 * region is already private to the app (the kernel's isolation).
 *
 * Main-line code only (blocks); one struct per store; no allocation.
 */
#ifndef LIBNVSTORAGE_NVS_OT_SETTINGS_H
#define LIBNVSTORAGE_NVS_OT_SETTINGS_H

#include <stdint.h>

#include "libnvstorage/nvs_kv.h"

/* Values the store can hold (its RAM index: 6 bytes each). */
#ifndef NVS_OTS_MAX_VALUES
#define NVS_OTS_MAX_VALUES 48
#endif

typedef enum {
    NVS_OTS_ERROR_NONE = 0,         /* OT_ERROR_NONE */
    NVS_OTS_ERROR_FAILED = 1,       /* OT_ERROR_FAILED: storage failed or damaged */
    NVS_OTS_ERROR_NO_BUFS = 3,      /* OT_ERROR_NO_BUFS: no space (or value too long) */
    NVS_OTS_ERROR_INVALID_ARGS = 7, /* OT_ERROR_INVALID_ARGS */
    NVS_OTS_ERROR_NOT_FOUND = 23,   /* OT_ERROR_NOT_FOUND */
} nvs_ots_error;

struct nvs_ots {
    struct nvs_kv kv;
    struct nvs_kv_slot slots[NVS_OTS_MAX_VALUES];
    int last_err; /* the nvs_err behind the last error returned */
};

/* Open the settings store in [base, base + size) of the app's region
 * (otPlatSettingsInit). Returns the nvs_err of nvs_kv_open (NVS_ERR_CORRUPT
 * is a warning: damaged entries were dropped, the rest is usable). */
int nvs_ots_init(struct nvs_ots *s, uint64_t base, uint32_t size);

nvs_ots_error nvs_ots_get(struct nvs_ots *s, uint16_t key, int index, uint8_t *value,
                          uint16_t *len);
nvs_ots_error nvs_ots_set(struct nvs_ots *s, uint16_t key, const uint8_t *value, uint16_t len);
nvs_ots_error nvs_ots_add(struct nvs_ots *s, uint16_t key, const uint8_t *value, uint16_t len);
nvs_ots_error nvs_ots_delete(struct nvs_ots *s, uint16_t key, int index);
nvs_ots_error nvs_ots_wipe(struct nvs_ots *s);

#endif /* LIBNVSTORAGE_NVS_OT_SETTINGS_H */
