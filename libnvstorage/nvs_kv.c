/*
 * Key-value store operations (nvs_kv.h): get and iterate from the RAM
 * index, changes as frames appended to the active bank's log, compaction
 * into the other bank. Opening and the log replay are in nvs_kv_scan.c.
 */
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kv.h"
#include "libnvstorage/nvs_kv_format.h"
#include "libnvstorage/nvs_kv_frame.h"
#include "libnvstorage/nvs_kv_index.h"

#define BANKS 2u

static uint32_t bank_size(const struct nvs_kv *kv)
{
    return kv->size / BANKS;
}

static uint32_t bank_start(const struct nvs_kv *kv, unsigned bank)
{
    return bank * bank_size(kv);
}

/* Frame bytes a bank can hold. */
static uint32_t bank_room(const struct nvs_kv *kv)
{
    return bank_size(kv) - NVS_KV_BANK_HDR;
}

static uint16_t slot_vlen(const struct nvs_kv_slot *s)
{
    return (uint16_t)(s->vlen & ~NVS_KV_SLOT_CONT);
}

/* Rebuild everything from the chip after a failed change: the chip is the
 * truth (it shows the change whole or not at all). If that fails too, the
 * struct is left closed (kv->opened false): nothing is written through it
 * until the app opens it again. */
static void reload(struct nvs_kv *kv)
{
    (void)nvs_kv_open(kv, kv->base, kv->size, kv->slots, kv->cap);
}

static int key_args(const struct nvs_kv *kv, const void *key, size_t klen)
{
    if (kv == NULL || !kv->opened || key == NULL || klen == 0)
        return NVS_ERR_ARG;
    return klen > NVS_KV_KEY_MAX ? NVS_ERR_KEY_TOO_LONG : NVS_OK;
}

uint32_t nvs_kv_free(const struct nvs_kv *kv)
{
    if (!kv->formatted)
        return 0;
    return bank_start(kv, kv->bank) + bank_size(kv) - kv->tail;
}

uint32_t nvs_kv_free_after_compaction(const struct nvs_kv *kv)
{
    return bank_room(kv) - kv->live;
}

static int write_bank_header(const struct nvs_kv *kv, unsigned bank)
{
    struct nvs_kv_bank_hdr h = {
        .epoch = kv->epoch, .bank_size = (uint16_t)bank_size(kv), .bank = (uint8_t)bank};
    uint8_t raw[NVS_KV_BANK_HDR];

    nvs_kv_bank_encode(&h, raw);
    memcpy(raw + NVS_KV_HDR_COPY, raw, NVS_KV_HDR_COPY);
    return nvs_write(kv->base + bank_start(kv, bank), raw, sizeof(raw));
}

/* Zero the log part of a bank whose headers did not show it clean (a bank
 * never used yet, or one with a damaged or cut-off header): it may hold
 * frames of an epoch that is not older than the new one (an earlier store
 * before a wipe, a damaged epoch field) which would pass for new frames.
 * This happens once per bank in a store's life, and after damage. With the
 * header written last, a cut here changes nothing. */
static int clear_bank(const struct nvs_kv *kv, unsigned bank)
{
    static const uint8_t zeros[NVS_KV_BOUNCE];
    uint32_t end = bank_start(kv, bank) + bank_size(kv);
    int err = NVS_OK;

    for (uint32_t p = bank_start(kv, bank) + NVS_KV_BANK_HDR; err == NVS_OK && p < end;
         p += NVS_KV_BOUNCE)
        err = nvs_write(kv->base + p, zeros, end - p < NVS_KV_BOUNCE ? end - p : NVS_KV_BOUNCE);
    return err;
}

/* A clean bank stops being clean once a compaction writes frames of the
 * new epoch into it: if that compaction is cut off before the header, the
 * next one reuses the epoch and, copying fewer bytes, would leave some of
 * those frames after its log, valid (deleted keys would come back). So its
 * first header copy is zeroed first: the chip then shows it unclean. */
static int unmark_clean(const struct nvs_kv *kv, unsigned bank)
{
    static const uint8_t zeros[NVS_KV_HDR_COPY];

    return nvs_write(kv->base + bank_start(kv, bank), zeros, sizeof(zeros));
}

/* Copy every live value, in index order, to the other bank under the next
 * epoch, then write that bank's header: until the header lands the old
 * bank stays active (and its log untouched), after it the new one is. */
static int compact(struct nvs_kv *kv)
{
    unsigned dst_bank = kv->formatted ? 1u - kv->bank : 0u;
    uint32_t src_epoch = kv->epoch;
    uint32_t start = bank_start(kv, dst_bank) + NVS_KV_BANK_HDR;
    uint32_t p = start;
    int err;

    kv->epoch = kv->formatted ? kv->epoch + 1 : 1;
    if (kv->clean & (1u << dst_bank))
        err = unmark_clean(kv, dst_bank);
    else
        err = clear_bank(kv, dst_bank);
    for (unsigned i = 0; err == NVS_OK && i < kv->n;) {
        struct nvs_kv_slot *s = &kv->slots[i];
        uint8_t type = (s->vlen & NVS_KV_SLOT_CONT) ? NVS_KV_F_ADD : NVS_KV_F_PUT;
        uint8_t klen = 0;
        err = nvs_kv_frame_copy(kv, s->off, src_epoch, (uint16_t)p, type | NVS_KV_F_FIRST, &klen);
        if (err == NVS_ERR_CORRUPT) { /* damaged since open: drop it */
            nvs_kv_idx_remove(kv, i, 0);
            kv->damaged++;
            err = NVS_OK;
            continue;
        }
        s->off = (uint16_t)p;
        p += nvs_kv_frame_len(klen, slot_vlen(s));
        i++;
    }
    if (err == NVS_OK)
        err = write_bank_header(kv, dst_bank);
    if (err != NVS_OK) {
        reload(kv);
        return err;
    }
    kv->bank = (uint8_t)dst_bank;
    kv->clean |= (uint8_t)(1u << dst_bank);
    kv->tail = (uint16_t)p;
    kv->live = (uint16_t)(p - start);
    kv->formatted = true;
    kv->fix_hdr = false;
    return NVS_OK;
}

int nvs_kv_compact(struct nvs_kv *kv)
{
    if (kv == NULL || !kv->opened)
        return NVS_ERR_ARG;
    return kv->broken ? NVS_ERR_CORRUPT : compact(kv);
}

int nvs_kv_wipe(struct nvs_kv *kv)
{
    if (kv == NULL || !kv->opened)
        return NVS_ERR_ARG;
    kv->n = 0;
    kv->live = 0;
    kv->broken = false;
    return compact(kv);
}

/* Make room for need bytes of frames in the active bank. */
static int make_room(struct nvs_kv *kv, uint32_t need)
{
    int err = NVS_OK;

    if (kv->formatted && nvs_kv_free(kv) >= need) {
        if (kv->fix_hdr) {
            err = write_bank_header(kv, kv->bank);
            kv->fix_hdr = err != NVS_OK;
            if (err == NVS_OK)
                kv->clean |= (uint8_t)(1u << kv->bank);
        }
        return err;
    }
    if (nvs_kv_free_after_compaction(kv) < need)
        return NVS_ERR_NO_SPACE;
    err = compact(kv);
    if (err == NVS_OK && nvs_kv_free(kv) < need)
        err = NVS_ERR_NO_SPACE; /* compaction dropped nothing it could */
    return err;
}

static uint16_t op_vlen(const struct nvs_kv_op *op)
{
    if (op->kind == NVS_KV_DELETE)
        return 0;
    if (op->kind == NVS_KV_DELETE_AT)
        return NVS_KV_DELI_LEN;
    return (uint16_t)op->vlen;
}

/* Check one operation's arguments. */
static int op_args(const struct nvs_kv *kv, const struct nvs_kv_op *op)
{
    int err = key_args(kv, op->key, op->klen);

    if (err != NVS_OK)
        return err;
    if (op->kind < NVS_KV_PUT || op->kind > NVS_KV_DELETE_AT)
        return NVS_ERR_ARG;
    if (op->kind == NVS_KV_PUT || op->kind == NVS_KV_ADD) {
        if (op->vlen > NVS_KV_VALUE_MAX)
            return NVS_ERR_VALUE_TOO_LONG;
        if (op->value == NULL && op->vlen > 0)
            return NVS_ERR_ARG;
    }
    return NVS_OK;
}

/* Will the index take this operation? (It needs a new slot for an add, and
 * for a put of a key it does not hold yet.) */
static int index_room(struct nvs_kv *kv, const struct nvs_kv_op *op)
{
    unsigned start, count;
    int err;

    if (kv->n < kv->cap || op->kind == NVS_KV_DELETE || op->kind == NVS_KV_DELETE_AT)
        return NVS_OK;
    if (op->kind == NVS_KV_ADD)
        return NVS_ERR_NO_SPACE;
    err = nvs_kv_idx_find(kv, op->key, (uint8_t)op->klen, nvs_kv_hash(op->key, op->klen), &start,
                          &count);
    return err == NVS_ERR_NOT_FOUND ? NVS_ERR_NO_SPACE : err;
}

int nvs_kv_batch(struct nvs_kv *kv, const struct nvs_kv_op *ops, unsigned n)
{
    uint32_t need = 0;
    uint32_t p;
    int err;

    if (kv == NULL || ops == NULL || n == 0)
        return NVS_ERR_ARG;
    for (unsigned i = 0; i < n; i++) {
        err = op_args(kv, &ops[i]);
        if (err != NVS_OK)
            return err;
        need += nvs_kv_frame_len((uint32_t)ops[i].klen, op_vlen(&ops[i]));
    }
    if (kv->broken)
        return NVS_ERR_CORRUPT;
    err = make_room(kv, need);
    if (err != NVS_OK)
        return err;
    /* One frame per operation: FIRST on the first, MORE on all but the
     * last, so the last frame's CRC commits the whole batch. Each frame is
     * indexed once it is written (finding a key may read frames of this
     * batch); a failure on the way rebuilds the index from the chip. */
    p = kv->tail;
    for (unsigned i = 0; i < n; i++) {
        const struct nvs_kv_op *op = &ops[i];
        struct nvs_kv_frame f = {
            .type = (uint8_t)op->kind,
            .key = op->key,
            .klen = (uint8_t)op->klen,
            .value = op->value,
            .vlen = op_vlen(op),
        };
        /* A frame holds a 16-bit index; no key has UINT16_MAX values. */
        uint16_t at = op->index > UINT16_MAX ? UINT16_MAX : (uint16_t)op->index;
        uint8_t index[NVS_KV_DELI_LEN] = {(uint8_t)at, (uint8_t)(at >> 8)};
        if (op->kind == NVS_KV_DELETE_AT)
            f.value = index;
        f.type |= (uint8_t)((i == 0 ? NVS_KV_F_FIRST : 0) | (i + 1 < n ? NVS_KV_F_MORE : 0));
        err = index_room(kv, op);
        if (err == NVS_OK)
            err = nvs_kv_frame_write(kv, (uint16_t)p, &f);
        if (err == NVS_OK)
            err = nvs_kv_idx_apply(kv, f.type, op->key, f.klen, f.vlen, (uint16_t)p, at);
        if (err != NVS_OK) {
            if (i > 0 || err != NVS_ERR_NO_SPACE)
                reload(kv);
            return err;
        }
        p += nvs_kv_frame_len(f.klen, f.vlen);
    }
    kv->tail = (uint16_t)p;
    return NVS_OK;
}

static int single(struct nvs_kv *kv, enum nvs_kv_kind kind, const void *key, size_t klen,
                  const void *value, size_t vlen, unsigned index)
{
    struct nvs_kv_op op = {
        .kind = kind, .key = key, .klen = klen, .value = value, .vlen = vlen, .index = index};

    return nvs_kv_batch(kv, &op, 1);
}

int nvs_kv_put(struct nvs_kv *kv, const void *key, size_t klen, const void *value, size_t vlen)
{
    return single(kv, NVS_KV_PUT, key, klen, value, vlen, 0);
}

int nvs_kv_add(struct nvs_kv *kv, const void *key, size_t klen, const void *value, size_t vlen)
{
    return single(kv, NVS_KV_ADD, key, klen, value, vlen, 0);
}

int nvs_kv_count(struct nvs_kv *kv, const void *key, size_t klen, unsigned *count)
{
    unsigned start;
    int err = key_args(kv, key, klen);

    if (err == NVS_OK && count == NULL)
        err = NVS_ERR_ARG;
    if (err != NVS_OK)
        return err;
    err = nvs_kv_idx_find(kv, key, (uint8_t)klen, nvs_kv_hash(key, klen), &start, count);
    return err == NVS_ERR_NOT_FOUND ? NVS_OK : err;
}

/* Delete the whole key (all) or its value at index, NOT_FOUND if absent. */
static int del(struct nvs_kv *kv, const void *key, size_t klen, bool all, unsigned index)
{
    unsigned count = 0;
    int err = nvs_kv_count(kv, key, klen, &count);

    if (err != NVS_OK)
        return err;
    if (count == 0 || (!all && index >= count))
        return NVS_ERR_NOT_FOUND;
    return single(kv, all ? NVS_KV_DELETE : NVS_KV_DELETE_AT, key, klen, NULL, 0, index);
}

int nvs_kv_delete(struct nvs_kv *kv, const void *key, size_t klen)
{
    return del(kv, key, klen, true, 0);
}

int nvs_kv_delete_at(struct nvs_kv *kv, const void *key, size_t klen, unsigned index)
{
    return del(kv, key, klen, false, index);
}

int nvs_kv_get(struct nvs_kv *kv, const void *key, size_t klen, unsigned index, void *buf,
               size_t cap, size_t *vlen)
{
    uint16_t hash;
    int err = key_args(kv, key, klen);

    if (err == NVS_OK && (vlen == NULL || (buf == NULL && cap > 0)))
        err = NVS_ERR_ARG;
    if (err != NVS_OK)
        return err;
    hash = nvs_kv_hash(key, klen);
    /* Each run with this hash is a candidate; the frame read tells whether
     * it holds our key. A run shorter than index cannot answer. */
    for (unsigned i = nvs_kv_idx_lower(kv, hash); i < kv->n && kv->slots[i].hash == hash;) {
        unsigned run = nvs_kv_idx_run(kv, i);
        if (index < run) {
            const struct nvs_kv_slot *s = &kv->slots[i + index];
            err = nvs_kv_frame_get(kv, s->off, key, (uint8_t)klen, slot_vlen(s), buf, cap);
            if (err == NVS_OK)
                *vlen = slot_vlen(s);
            if (err != NVS_ERR_NOT_FOUND)
                return err;
        }
        i += run;
    }
    return NVS_ERR_NOT_FOUND;
}

int nvs_kv_next(struct nvs_kv *kv, unsigned *cursor, void *key, size_t cap, size_t *klen)
{
    uint8_t raw[NVS_KV_FRAME_HDR];
    struct nvs_kv_frame_hdr h;
    unsigned i;
    int err;

    if (kv == NULL || !kv->opened || cursor == NULL || klen == NULL || (key == NULL && cap > 0))
        return NVS_ERR_ARG;
    i = *cursor;
    /* A cursor left inside a run (the store changed) moves to the next. */
    while (i < kv->n && (kv->slots[i].vlen & NVS_KV_SLOT_CONT))
        i++;
    if (i >= kv->n)
        return NVS_ERR_NOT_FOUND;
    err = nvs_read(kv->base + kv->slots[i].off, raw, sizeof(raw));
    if (err != NVS_OK)
        return err;
    nvs_kv_frame_decode(raw, &h);
    if (h.klen == 0 || h.klen > NVS_KV_KEY_MAX)
        return NVS_ERR_CORRUPT;
    err =
        nvs_read(kv->base + kv->slots[i].off + NVS_KV_FRAME_HDR, key, h.klen < cap ? h.klen : cap);
    if (err != NVS_OK)
        return err;
    *klen = h.klen;
    *cursor = i + nvs_kv_idx_run(kv, i);
    return NVS_OK;
}
