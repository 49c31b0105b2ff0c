/* The key-value store's RAM index; see nvs_kv_index.h. */
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kv_format.h"
#include "libnvstorage/nvs_kv_index.h"

static uint16_t slot_vlen(const struct nvs_kv_slot *s)
{
    return (uint16_t)(s->vlen & ~NVS_KV_SLOT_CONT);
}

unsigned nvs_kv_idx_lower(const struct nvs_kv *kv, uint16_t hash)
{
    unsigned lo = 0, hi = kv->n;

    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (kv->slots[mid].hash < hash)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

unsigned nvs_kv_idx_run(const struct nvs_kv *kv, unsigned i)
{
    unsigned j = i + 1;

    while (j < kv->n && (kv->slots[j].vlen & NVS_KV_SLOT_CONT))
        j++;
    return j - i;
}

/* Does the frame at off hold this key? One read of its header and key. */
static int same_key(const struct nvs_kv *kv, uint16_t off, const void *key, uint8_t klen,
                    bool *same)
{
    uint8_t buf[NVS_KV_FRAME_HDR + NVS_KV_KEY_MAX];
    struct nvs_kv_frame_hdr h;
    int err = nvs_read(kv->base + off, buf, NVS_KV_FRAME_HDR + (size_t)klen);

    if (err != NVS_OK)
        return err;
    nvs_kv_frame_decode(buf, &h);
    *same = h.klen == klen && memcmp(buf + NVS_KV_FRAME_HDR, key, klen) == 0;
    return NVS_OK;
}

int nvs_kv_idx_find(const struct nvs_kv *kv, const void *key, uint8_t klen, uint16_t hash,
                    unsigned *start, unsigned *count)
{
    unsigned i = nvs_kv_idx_lower(kv, hash);

    while (i < kv->n && kv->slots[i].hash == hash) {
        unsigned run = nvs_kv_idx_run(kv, i);
        bool same = false;
        int err = same_key(kv, kv->slots[i].off, key, klen, &same);
        if (err != NVS_OK)
            return err;
        if (same) {
            *start = i;
            *count = run;
            return NVS_OK;
        }
        i += run;
    }
    *start = i;
    *count = 0;
    return NVS_ERR_NOT_FOUND;
}

static void insert(struct nvs_kv *kv, unsigned i, struct nvs_kv_slot s, uint8_t klen)
{
    memmove(&kv->slots[i + 1], &kv->slots[i], (kv->n - i) * sizeof(kv->slots[0]));
    kv->slots[i] = s;
    kv->n++;
    kv->live = (uint16_t)(kv->live + nvs_kv_frame_len(klen, slot_vlen(&s)));
}

void nvs_kv_idx_remove(struct nvs_kv *kv, unsigned i, uint8_t klen)
{
    bool first = !(kv->slots[i].vlen & NVS_KV_SLOT_CONT);

    kv->live = (uint16_t)(kv->live - nvs_kv_frame_len(klen, slot_vlen(&kv->slots[i])));
    kv->n--;
    memmove(&kv->slots[i], &kv->slots[i + 1], (kv->n - i) * sizeof(kv->slots[0]));
    if (first && i < kv->n && (kv->slots[i].vlen & NVS_KV_SLOT_CONT))
        kv->slots[i].vlen &= (uint16_t)~NVS_KV_SLOT_CONT; /* the next value leads now */
}

int nvs_kv_idx_apply(struct nvs_kv *kv, unsigned type, const void *key, uint8_t klen, uint16_t vlen,
                     uint16_t off, unsigned index)
{
    uint16_t hash = nvs_kv_hash(key, klen);
    struct nvs_kv_slot s = {.off = off, .hash = hash, .vlen = vlen};
    unsigned start, count;
    int err = nvs_kv_idx_find(kv, key, klen, hash, &start, &count);

    if (err != NVS_OK && err != NVS_ERR_NOT_FOUND)
        return err;
    switch (type & NVS_KV_F_OP_MASK) {
    case NVS_KV_F_PUT:
        if (count == 0 && kv->n == kv->cap)
            return NVS_ERR_NO_SPACE;
        while (count-- > 0)
            nvs_kv_idx_remove(kv, start, klen);
        insert(kv, start, s, klen);
        break;
    case NVS_KV_F_ADD:
        if (kv->n == kv->cap)
            return NVS_ERR_NO_SPACE;
        if (count > 0)
            s.vlen |= NVS_KV_SLOT_CONT;
        insert(kv, start + count, s, klen);
        break;
    case NVS_KV_F_DEL:
        while (count-- > 0)
            nvs_kv_idx_remove(kv, start, klen);
        break;
    default: /* NVS_KV_F_DELI */
        if (index < count)
            nvs_kv_idx_remove(kv, start + index, klen);
        break;
    }
    return NVS_OK;
}
