/* Frame I/O of the key-value store; see nvs_kv_frame.h. */
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_crc32.h"
#include "libnvstorage/nvs_kv_format.h"
#include "libnvstorage/nvs_kv_frame.h"

/* Bytes of the next storage call at pos in a frame of total bytes: at most
 * the bounce buffer, and never splitting the CRC over two calls. */
static uint32_t chunk_len(uint32_t pos, uint32_t total)
{
    uint32_t left = total - pos;

    if (left <= NVS_KV_BOUNCE)
        return left;
    if (left - NVS_KV_BOUNCE < NVS_KV_FRAME_CRC)
        return left - NVS_KV_FRAME_CRC;
    return NVS_KV_BOUNCE;
}

int nvs_kv_frame_write(const struct nvs_kv *kv, uint16_t off, const struct nvs_kv_frame *f)
{
    uint8_t buf[NVS_KV_BOUNCE];
    struct nvs_kv_frame_hdr h = {.type = f->type, .klen = f->klen, .vlen = f->vlen};
    uint32_t total = nvs_kv_frame_len(f->klen, f->vlen);
    uint32_t head = NVS_KV_FRAME_HDR + f->klen;
    uint64_t at = kv->base + off;
    uint32_t crc = nvs_kv_frame_crc_start(kv->epoch, off);
    uint8_t tail[NVS_KV_FRAME_CRC];
    int err;

    nvs_kv_frame_encode(&h, buf);
    memcpy(buf + NVS_KV_FRAME_HDR, f->key, f->klen);
    crc = nvs_crc32(crc, buf, head);
    crc = nvs_crc32(crc, f->value, f->vlen);
    nvs_kv_put_le32(tail, crc);
    if (total <= NVS_KV_BOUNCE) { /* the usual case: one call */
        if (f->vlen > 0)
            memcpy(buf + head, f->value, f->vlen);
        memcpy(buf + head + f->vlen, tail, sizeof(tail));
        return nvs_write(at, buf, total);
    }
    /* Header and key, value, CRC: until the CRC lands the frame is invalid. */
    err = nvs_write(at, buf, head);
    if (err == NVS_OK)
        err = nvs_write(at + head, f->value, f->vlen);
    if (err == NVS_OK)
        err = nvs_write(at + head + f->vlen, tail, sizeof(tail));
    return err;
}

int nvs_kv_frame_get(const struct nvs_kv *kv, uint16_t off, const void *key, uint8_t klen,
                     uint16_t vlen, void *buf, size_t cap)
{
    uint8_t chunk[NVS_KV_BOUNCE];
    uint8_t stored[NVS_KV_FRAME_CRC];
    uint32_t total = nvs_kv_frame_len(klen, vlen);
    uint32_t body = total - NVS_KV_FRAME_CRC;
    uint32_t kend = NVS_KV_FRAME_HDR + klen;
    uint32_t crc = nvs_kv_frame_crc_start(kv->epoch, off);
    bool key_ok = true;

    for (uint32_t pos = 0, n; pos < total; pos += n) {
        uint32_t at, len;
        int err;
        n = chunk_len(pos, total);
        err = nvs_read(kv->base + off + pos, chunk, n);
        if (err != NVS_OK)
            return err;
        if (pos == 0) {
            struct nvs_kv_frame_hdr h;
            nvs_kv_frame_decode(chunk, &h);
            if (h.klen != klen)
                return NVS_ERR_NOT_FOUND; /* another key with the same hash */
            if (h.vlen != vlen)
                return NVS_ERR_CORRUPT; /* the index knows better: damaged since open */
        }
        len = nvs_kv_overlap(pos, n, 0, body, &at);
        crc = nvs_crc32(crc, chunk + at, len);
        len = nvs_kv_overlap(pos, n, NVS_KV_FRAME_HDR, kend, &at);
        if (len > 0 && memcmp(chunk + at, (const uint8_t *)key + pos + at - NVS_KV_FRAME_HDR, len))
            key_ok = false;
        len = nvs_kv_overlap(pos, n, kend, body, &at);
        if (len > 0 && pos + at - kend < cap) {
            uint32_t room = (uint32_t)cap - (pos + at - kend);
            memcpy((uint8_t *)buf + pos + at - kend, chunk + at, len < room ? len : room);
        }
        len = nvs_kv_overlap(pos, n, body, total, &at);
        if (len > 0)
            memcpy(stored + (pos + at - body), chunk + at, len);
    }
    if (!key_ok)
        return NVS_ERR_NOT_FOUND;
    return nvs_kv_get_le32(stored) == crc ? NVS_OK : NVS_ERR_CORRUPT;
}

int nvs_kv_frame_copy(const struct nvs_kv *kv, uint16_t src, uint32_t src_epoch, uint16_t dst,
                      uint8_t type, uint8_t *klen)
{
    uint8_t chunk[NVS_KV_BOUNCE];
    struct nvs_kv_frame_hdr h;
    uint32_t total, body;
    uint32_t crc_src = nvs_kv_frame_crc_start(src_epoch, src);
    uint32_t crc_dst = nvs_kv_frame_crc_start(kv->epoch, dst);
    int err = nvs_read(kv->base + src, chunk, NVS_KV_FRAME_HDR);

    if (err != NVS_OK)
        return err;
    nvs_kv_frame_decode(chunk, &h);
    if (!nvs_kv_frame_plausible(&h, kv->size - src))
        return NVS_ERR_CORRUPT;
    *klen = h.klen;
    total = nvs_kv_frame_len(h.klen, h.vlen);
    body = total - NVS_KV_FRAME_CRC;
    for (uint32_t pos = 0, n; pos < total; pos += n) {
        uint32_t at, len;
        n = chunk_len(pos, total);
        err = nvs_read(kv->base + src + pos, chunk, n);
        if (err != NVS_OK)
            return err;
        len = nvs_kv_overlap(pos, n, 0, body, &at);
        crc_src = nvs_crc32(crc_src, chunk + at, len);
        if (pos == 0)
            chunk[0] = type;
        crc_dst = nvs_crc32(crc_dst, chunk + at, len);
        if (nvs_kv_overlap(pos, n, body, total, &at) > 0) { /* the last call: the whole CRC */
            if (nvs_kv_get_le32(chunk + at) != crc_src)
                return NVS_ERR_CORRUPT;
            nvs_kv_put_le32(chunk + at, crc_dst);
        }
        err = nvs_write(kv->base + dst + pos, chunk, n);
        if (err != NVS_OK)
            return err;
    }
    return NVS_OK;
}
