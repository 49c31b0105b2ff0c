/*
 * nvs_kv_frame: reading, writing and copying one frame of the key-value
 * store (internal to nvs_kv*.c). Frames move through a small bounce buffer
 * on the stack, NVS_KV_BOUNCE bytes per storage call: a frame that fits
 * (a 32-byte value with an 8-byte key does) takes one call. The 4 CRC
 * bytes always travel in one call, so a copy whose source fails its CRC
 * never leaves a valid-looking frame behind. Main-line code; blocks.
 */
#ifndef LIBNVSTORAGE_NVS_KV_FRAME_H
#define LIBNVSTORAGE_NVS_KV_FRAME_H

#include "libnvstorage/nvs_kv.h"
#include "libnvstorage/nvs_kv_format.h"

/* Holds a frame header and the longest key (the write path needs both in
 * one piece), and a 32-byte value with an 8-byte key (one call). */
#define NVS_KV_BOUNCE 80u
_Static_assert(NVS_KV_BOUNCE >= NVS_KV_FRAME_HDR + NVS_KV_KEY_MAX,
               "bounce buffer too small for a key");
_Static_assert(NVS_KV_FRAME_EXTRA == NVS_KV_ENTRY_OVERHEAD, "nvs_kv.h's entry size is off");

/* The part of [pos, pos + n) that lies in [lo, hi): its length (0 if none)
 * and, in *at, where it starts relative to pos. */
static inline uint32_t nvs_kv_overlap(uint32_t pos, uint32_t n, uint32_t lo, uint32_t hi,
                                      uint32_t *at)
{
    uint32_t a = pos > lo ? pos : lo;
    uint32_t b = pos + n < hi ? pos + n : hi;

    *at = a - pos;
    return b > a ? b - a : 0;
}

/* A frame's parts, as the caller has them in RAM. */
struct nvs_kv_frame {
    uint8_t type;
    const void *key;
    uint8_t klen;
    const void *value;
    uint16_t vlen;
};

/* Write frame f at area offset off, for the active epoch. */
int nvs_kv_frame_write(const struct nvs_kv *kv, uint16_t off, const struct nvs_kv_frame *f);

/* Read the frame at off expected to hold key (klen bytes) with a value of
 * vlen bytes: copy at most cap bytes of the value to buf. NVS_OK;
 * NVS_ERR_NOT_FOUND if the frame holds another key; NVS_ERR_CORRUPT if it
 * fails its CRC or disagrees with the index; nvs_read's errors. */
int nvs_kv_frame_get(const struct nvs_kv *kv, uint16_t off, const void *key, uint8_t klen,
                     uint16_t vlen, void *buf, size_t cap);

/* Copy the frame at src (written in epoch src_epoch) to dst for the active
 * epoch, with type `type`; *klen = its key length. NVS_OK; NVS_ERR_CORRUPT
 * if the source fails its checks (then the copy has no valid CRC);
 * nvs_read/nvs_write's errors. */
int nvs_kv_frame_copy(const struct nvs_kv *kv, uint16_t src, uint32_t src_epoch, uint16_t dst,
                      uint8_t type, uint8_t *klen);

#endif /* LIBNVSTORAGE_NVS_KV_FRAME_H */
