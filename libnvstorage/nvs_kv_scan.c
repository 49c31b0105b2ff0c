/*
 * Opening the key-value store: pick the active bank, replay its log into
 * the RAM index, and tell the end of the log (a torn or never-written
 * frame) from damage in its middle (a failing frame followed by a valid
 * one). See nvs_kv.h for the guarantees and docs/libnvstorage.md for why.
 */
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_crc32.h"
#include "libnvstorage/nvs_kv_format.h"
#include "libnvstorage/nvs_kv_frame.h"
#include "libnvstorage/nvs_kv_index.h"

/* Bytes read per storage call while scanning: the log is read front to
 * back in windows this big, so a log of small frames costs few calls. */
#define RD_SIZE   128u
#define NO_GROUP  UINT32_MAX
#define BANKS     2u
#define BYTE_BITS 8u

/* A window of the area kept in RAM. */
struct rd {
    const struct nvs_kv *kv;
    uint32_t lo, len;
    uint8_t buf[RD_SIZE];
};

/* *p = bytes [off, off + n) of the area (n <= RD_SIZE, off + n <= end). */
static int rd_at(struct rd *r, uint32_t off, uint32_t n, uint32_t end, const uint8_t **p)
{
    if (off < r->lo || off + n > r->lo + r->len) {
        uint32_t len = end - off < RD_SIZE ? end - off : RD_SIZE;
        int err = nvs_read(r->kv->base + off, r->buf, len);
        if (err != NVS_OK) {
            r->len = 0;
            return err;
        }
        r->lo = off;
        r->len = len;
    }
    *p = r->buf + (off - r->lo);
    return NVS_OK;
}

/* A frame as the scan sees it. */
struct scanned {
    struct nvs_kv_frame_hdr h;
    uint8_t key[NVS_KV_KEY_MAX];
    uint8_t val[NVS_KV_DELI_LEN]; /* a DELI frame's index */
    uint32_t len;
};

/* *ok = a valid frame of the active epoch starts at p (and ends by end). */
static int check(struct rd *r, uint32_t p, uint32_t end, struct scanned *f, bool *ok)
{
    const uint8_t *b;
    uint32_t crc, body, kend;
    int err;

    *ok = false;
    memset(f->val, 0, sizeof(f->val));
    if (end - p < NVS_KV_FRAME_EXTRA)
        return NVS_OK;
    err = rd_at(r, p, NVS_KV_FRAME_HDR, end, &b);
    if (err != NVS_OK)
        return err;
    nvs_kv_frame_decode(b, &f->h);
    if (!nvs_kv_frame_plausible(&f->h, end - p))
        return NVS_OK;
    f->len = nvs_kv_frame_len(f->h.klen, f->h.vlen);
    body = f->len - NVS_KV_FRAME_CRC;
    kend = NVS_KV_FRAME_HDR + f->h.klen;
    crc = nvs_kv_frame_crc_start(r->kv->epoch, (uint16_t)p);
    for (uint32_t pos = 0, n; pos < body; pos += n) {
        uint32_t at, len;
        n = body - pos < RD_SIZE ? body - pos : RD_SIZE;
        err = rd_at(r, p + pos, n, end, &b);
        if (err != NVS_OK)
            return err;
        crc = nvs_crc32(crc, b, n);
        len = nvs_kv_overlap(pos, n, NVS_KV_FRAME_HDR, kend, &at);
        if (len > 0)
            memcpy(f->key + (pos + at - NVS_KV_FRAME_HDR), b + at, len);
        len = nvs_kv_overlap(pos, n, kend, kend + sizeof(f->val), &at);
        if (len > 0 && (f->h.type & NVS_KV_F_OP_MASK) == NVS_KV_F_DELI)
            memcpy(f->val + (pos + at - kend), b + at, len);
    }
    err = rd_at(r, p + body, NVS_KV_FRAME_CRC, end, &b);
    if (err == NVS_OK)
        *ok = nvs_kv_get_le32(b) == crc;
    return err;
}

/* The first offset in [from, end) where a valid frame starts (in *f), or
 * end. Only plausible headers are checked in full. */
static int resync(struct rd *r, uint32_t from, uint32_t end, struct scanned *f, uint32_t *q)
{
    for (*q = from; end - *q >= NVS_KV_FRAME_EXTRA; (*q)++) {
        bool ok;
        int err = check(r, *q, end, f, &ok);
        if (err != NVS_OK || ok)
            return err;
    }
    *q = end;
    return NVS_OK;
}

static int apply(struct nvs_kv *kv, const struct scanned *f, uint32_t p)
{
    unsigned index = f->val[0] | (unsigned)f->val[1] << BYTE_BITS;

    return nvs_kv_idx_apply(kv, f->h.type, f->key, f->h.klen, f->h.vlen, (uint16_t)p, index);
}

/* Apply the batch whose frames run from group to the valid last frame f at
 * p: the earlier ones are read again (batches are rare; no RAM for them). */
static int apply_group(struct nvs_kv *kv, struct rd *r, uint32_t group, uint32_t p,
                       struct scanned *f, uint32_t end)
{
    struct scanned g;

    for (uint32_t x = group; x < p; x += g.len) {
        bool ok;
        int err = check(r, x, end, &g, &ok);
        if (err == NVS_OK && !ok)
            err = NVS_ERR_CORRUPT; /* it was valid a moment ago */
        if (err == NVS_OK)
            err = apply(kv, &g, x);
        if (err != NVS_OK)
            return err;
    }
    return apply(kv, f, p);
}

/* Replay the active bank's log into the index. */
static int replay(struct nvs_kv *kv, struct rd *r)
{
    uint32_t bank_size = kv->size / BANKS;
    uint32_t end = (kv->bank + 1u) * bank_size;
    uint32_t p = kv->bank * bank_size + NVS_KV_BANK_HDR;
    uint32_t group = NO_GROUP;
    struct scanned f;
    int err = NVS_OK;

    while (err == NVS_OK && p < end) {
        bool ok;
        err = check(r, p, end, &f, &ok);
        if (err == NVS_OK && !ok) {
            /* The end of the log, unless a valid frame follows: damage. */
            uint32_t q;
            err = resync(r, p + 1, end, &f, &q);
            if (err != NVS_OK || q == end)
                break;
            kv->damaged++;
            group = NO_GROUP; /* a batch with a damaged frame is dropped whole */
            p = q;
        }
        if (err != NVS_OK)
            break;
        if (f.h.type & NVS_KV_F_FIRST)
            group = p; /* a batch left without its last frame is dropped */
        if (!(f.h.type & NVS_KV_F_MORE) && group != NO_GROUP) {
            err = group == p ? apply(kv, &f, p) : apply_group(kv, r, group, p, &f, end);
            group = NO_GROUP;
        }
        p += f.len;
    }
    kv->tail = (uint16_t)p;
    return err;
}

/* Pick the active bank from the four header copies. */
static int pick_bank(struct nvs_kv *kv, struct rd *r)
{
    uint16_t bank_size = (uint16_t)(kv->size / BANKS);
    bool valid[BANKS] = {false, false}, whole[BANKS] = {false, false}, seen = false;
    uint32_t epoch[BANKS] = {0, 0};
    unsigned other;

    for (uint8_t b = 0; b < BANKS; b++) {
        enum nvs_kv_hdr_state st[BANKS];
        struct nvs_kv_bank_hdr h[BANKS];
        const uint8_t *p;
        int err = rd_at(r, (uint32_t)b * bank_size, NVS_KV_BANK_HDR, kv->size, &p);
        if (err != NVS_OK)
            return err;
        for (unsigned c = 0; c < BANKS; c++) {
            st[c] = nvs_kv_bank_decode(p + c * NVS_KV_HDR_COPY, b, bank_size, &h[c]);
            seen = seen || st[c] == NVS_KV_HDR_BAD;
        }
        valid[b] = st[0] == NVS_KV_HDR_OK || st[1] == NVS_KV_HDR_OK;
        epoch[b] = st[0] == NVS_KV_HDR_OK ? h[0].epoch : h[1].epoch;
        whole[b] = st[0] == NVS_KV_HDR_OK && memcmp(p, p + NVS_KV_HDR_COPY, NVS_KV_HDR_COPY) == 0;
        /* A cut leaves at most one copy failing (they are written one
         * after the other): both failing is damage. */
        if (st[0] == NVS_KV_HDR_BAD && st[1] == NVS_KV_HDR_BAD)
            kv->damaged++;
    }
    if (!valid[0] && !valid[1]) {
        kv->broken = seen; /* our magic, but no header passes: damaged */
        return seen ? NVS_ERR_CORRUPT : NVS_OK;
    }
    kv->bank = (!valid[0] || (valid[1] && nvs_kv_epoch_newer(epoch[1], epoch[0]))) ? 1 : 0;
    other = 1u - kv->bank;
    kv->epoch = epoch[kv->bank];
    kv->fix_hdr = !whole[kv->bank];
    kv->formatted = true;
    /* The other bank may take the next compaction without clearing only if
     * everything in it is of an older epoch. */
    if (whole[kv->bank])
        kv->clean |= (uint8_t)(1u << kv->bank);
    if (whole[other] && nvs_kv_epoch_newer(kv->epoch, epoch[other]))
        kv->clean |= (uint8_t)(1u << other);
    if (valid[0] && valid[1] && epoch[0] == epoch[1])
        kv->damaged++; /* two banks of one epoch: only damage does that */
    return NVS_OK;
}

int nvs_kv_open(struct nvs_kv *kv, uint64_t base, uint32_t size, struct nvs_kv_slot *slots,
                uint16_t cap)
{
    struct rd r = {.kv = kv};
    int err;

    if (kv == NULL || slots == NULL || cap == 0 || size < NVS_KV_AREA_MIN ||
        size > NVS_KV_AREA_MAX || base > UINT64_MAX - size)
        return NVS_ERR_ARG;
    memset(kv, 0, sizeof(*kv));
    kv->base = base;
    kv->size = size;
    kv->slots = slots;
    kv->cap = cap;
    err = pick_bank(kv, &r);
    if (err == NVS_OK && kv->formatted)
        err = replay(kv, &r);
    /* Open (usable) after a whole scan, or when broken (wipe is the way
     * out); a scan cut short by an error leaves the struct closed. */
    kv->opened = err == NVS_OK || kv->broken;
    if (err == NVS_OK && kv->damaged > 0)
        err = NVS_ERR_CORRUPT;
    return err;
}
