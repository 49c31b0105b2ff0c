/* OpenThread-style settings over the key-value store; see nvs_ot_settings.h. */
#include <stddef.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_ot_settings.h"

#define KEY_BYTES 2
#define BYTE_BITS 8
#define ALL       (-1) /* delete's index for "every value" */

static void encode(uint16_t key, uint8_t out[KEY_BYTES])
{
    out[0] = (uint8_t)key;
    out[1] = (uint8_t)(key >> BYTE_BITS);
}

static nvs_ots_error result(struct nvs_ots *s, int err)
{
    s->last_err = err;
    switch (err) {
    case NVS_OK:
        return NVS_OTS_ERROR_NONE;
    case NVS_ERR_NOT_FOUND:
        return NVS_OTS_ERROR_NOT_FOUND;
    case NVS_ERR_NO_SPACE:
    case NVS_ERR_VALUE_TOO_LONG:
        return NVS_OTS_ERROR_NO_BUFS;
    case NVS_ERR_ARG:
        return NVS_OTS_ERROR_INVALID_ARGS;
    default:
        return NVS_OTS_ERROR_FAILED;
    }
}

int nvs_ots_init(struct nvs_ots *s, uint64_t base, uint32_t size)
{
    if (s == NULL)
        return NVS_ERR_ARG;
    s->last_err = nvs_kv_open(&s->kv, base, size, s->slots, NVS_OTS_MAX_VALUES);
    return s->last_err;
}

nvs_ots_error nvs_ots_get(struct nvs_ots *s, uint16_t key, int index, uint8_t *value, uint16_t *len)
{
    uint8_t k[KEY_BYTES];
    size_t cap = (value != NULL && len != NULL) ? *len : 0;
    size_t full = 0;
    int err;

    if (s == NULL || index < 0)
        return s == NULL ? NVS_OTS_ERROR_INVALID_ARGS : result(s, NVS_ERR_ARG);
    encode(key, k);
    err = nvs_kv_get(&s->kv, k, sizeof(k), (unsigned)index, cap ? value : NULL, cap, &full);
    if (err == NVS_OK && len != NULL)
        *len = (uint16_t)full;
    return result(s, err);
}

static nvs_ots_error store(struct nvs_ots *s, enum nvs_kv_kind kind, uint16_t key,
                           const uint8_t *value, uint16_t len)
{
    uint8_t k[KEY_BYTES];
    struct nvs_kv_op op = {.kind = kind, .key = k, .klen = sizeof(k), .value = value, .vlen = len};

    if (s == NULL)
        return NVS_OTS_ERROR_INVALID_ARGS;
    encode(key, k);
    return result(s, nvs_kv_batch(&s->kv, &op, 1));
}

nvs_ots_error nvs_ots_set(struct nvs_ots *s, uint16_t key, const uint8_t *value, uint16_t len)
{
    return store(s, NVS_KV_PUT, key, value, len);
}

nvs_ots_error nvs_ots_add(struct nvs_ots *s, uint16_t key, const uint8_t *value, uint16_t len)
{
    return store(s, NVS_KV_ADD, key, value, len);
}

nvs_ots_error nvs_ots_delete(struct nvs_ots *s, uint16_t key, int index)
{
    uint8_t k[KEY_BYTES];

    if (s == NULL || index < ALL)
        return s == NULL ? NVS_OTS_ERROR_INVALID_ARGS : result(s, NVS_ERR_ARG);
    encode(key, k);
    if (index == ALL)
        return result(s, nvs_kv_delete(&s->kv, k, sizeof(k)));
    return result(s, nvs_kv_delete_at(&s->kv, k, sizeof(k), (unsigned)index));
}

nvs_ots_error nvs_ots_wipe(struct nvs_ots *s)
{
    if (s == NULL)
        return NVS_OTS_ERROR_INVALID_ARGS;
    return result(s, nvs_kv_wipe(&s->kv));
}
