/*
 * libFuzzer target for libnvstorage's key-value store (nvs_kv.h).
 *
 * Input: a header byte (starting image, area size, index capacity), then
 * either the area's starting bytes (a store made of random bytes) or
 * nothing (a blank area), then an operation script, 4 bytes per
 * operation. Besides the sanitizers, these promises are checked and a
 * broken one aborts:
 *   - no read or write outside the store's bytes (the fake region's guard);
 *   - open never fails on any contents except with CORRUPT, NO_SPACE (index
 *     too small) or a store it reports as broken;
 *   - after open, the store behaves like the in-memory model loaded from it:
 *     each operation succeeds or is refused for space exactly when the model
 *     says so, and the whole store matches the model after every step;
 *   - from a blank area, every reopen shows the model too;
 *   - a script may also flip bits of the stored bytes (damage): the store
 *     then reopens (OK or CORRUPT), and from there on matches the model
 *     loaded from it, through later reopens too.
 */
// clang-format off
/* FUZZ_SRCS: libnvstorage/nvs_error.c libnvstorage/nvs_crc32.c libnvstorage/nvs_kv.c libnvstorage/nvs_kv_format.c libnvstorage/nvs_kv_frame.c libnvstorage/nvs_kv_index.c libnvstorage/nvs_kv_scan.c libnvstorage/host/nvs_fake.c tests/host/support/kv_model.c */
// clang-format on
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libnvstorage/host/nvs_fake.h"
#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kv.h"
#include "tests/host/support/kv_model.h"

#define REGION   2048u
#define AREA_OFF 16u
#define MAX_CAP  24u
#define OP_BYTES 4u
#define MAX_OPS  64u
#define NKEYS    6u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t sizes[] = {NVS_KV_AREA_MIN, 128, 256, 512, 1024, 2000};
static const uint8_t keys[NKEYS][8] = {"a", "b", "cc", "ddd", "eeee", "fffff"};
static struct km model;
static struct nvs_kv kv;
static struct nvs_kv_slot slots[MAX_CAP];
static uint8_t value[KM_VMAX];

static void check(int ok)
{
    if (!ok)
        abort();
}

/* One scripted operation: kind, key, value length, index / value seed. */
static void decode(const uint8_t *b, struct nvs_kv_op *op)
{
    memset(op, 0, sizeof(*op));
    op->kind = (enum nvs_kv_kind)(1 + b[0] % 4);
    op->key = keys[b[1] % NKEYS];
    op->klen = 1 + b[1] % NKEYS;
    op->vlen = b[2] % 120u;
    op->value = value;
    op->index = b[3] % 4u;
    for (size_t i = 0; i < op->vlen; i++)
        value[i] = (uint8_t)(b[3] + i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    uint32_t area = sizes[(mode >> 1) % (sizeof(sizes) / sizeof(sizes[0]))];
    uint16_t cap = (uint16_t)(1 + (mode >> 4) % MAX_CAP);
    bool blank = !(mode & 1);
    bool clean = blank; /* no damage: every open must give NVS_OK */
    size_t at = 1;

    nvs_fake_reset(REGION);
    nvs_fake_guard(AREA_OFF, AREA_OFF + area);
    if (!blank) {
        size_t n = size - at < area ? size - at : area;
        memcpy(nvs_fake.mem + AREA_OFF, data + at, n);
        at += n;
    }
    int err = nvs_kv_open(&kv, AREA_OFF, area, slots, cap);
    check(err == NVS_OK || err == NVS_ERR_CORRUPT || err == NVS_ERR_NO_SPACE);
    check(!clean || err == NVS_OK);
    if (err == NVS_ERR_NO_SPACE)
        return 0;
    bool oracle = !kv.broken && km_load(&model, &kv) == NVS_OK;
    if (!oracle)
        km_init(&model);
    for (unsigned i = 0; at + OP_BYTES <= size && i < MAX_OPS; i++, at += OP_BYTES) {
        struct nvs_kv_op op;
        decode(data + at, &op);
        if (data[at] >= 0xE0 && data[at] < 0xF0) { /* damage, then reopen */
            uint32_t off = ((uint32_t)data[at + 1] << 8 | data[at + 2]) % area;
            nvs_fake.mem[AREA_OFF + off] ^= (uint8_t)(data[at + 3] | 1);
            err = nvs_kv_open(&kv, AREA_OFF, area, slots, cap);
            check(err == NVS_OK || err == NVS_ERR_CORRUPT || err == NVS_ERR_NO_SPACE);
            if (err == NVS_ERR_NO_SPACE)
                return 0;
            oracle = !kv.broken && km_load(&model, &kv) == NVS_OK;
            blank = blank && oracle;
            clean = false;
            if (!oracle)
                km_init(&model);
        } else if (data[at] >= 0xF0) { /* now and then: compact, wipe or reopen */
            if (data[at] & 1)
                err = nvs_kv_compact(&kv);
            else if (data[at] & 2) {
                err = nvs_kv_wipe(&kv);
                km_init(&model);
                oracle = err == NVS_OK;
            } else {
                err = nvs_kv_open(&kv, AREA_OFF, area, slots, cap);
                check(!clean || err == NVS_OK);
                err = err == NVS_ERR_CORRUPT && !clean ? NVS_OK : err;
            }
            check(!oracle || err == NVS_OK);
        } else {
            bool full = oracle && km_no_space(&model, &kv, &op, 1);
            err = nvs_kv_batch(&kv, &op, 1);
            check(err == NVS_OK || err == NVS_ERR_NO_SPACE || err == NVS_ERR_CORRUPT);
            if (oracle) {
                check(err == (full ? NVS_ERR_NO_SPACE : NVS_OK));
                if (err == NVS_OK)
                    check(km_apply(&model, &op, 1));
            }
        }
        if (oracle)
            check(km_compare(&model, &kv) == 0);
    }
    if (blank) {
        err = nvs_kv_open(&kv, AREA_OFF, area, slots, cap);
        check(err == NVS_OK || (!clean && err == NVS_ERR_CORRUPT));
        check(km_compare(&model, &kv) == 0);
    }
    return 0;
}
