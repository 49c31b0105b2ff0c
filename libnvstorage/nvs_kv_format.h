/*
 * nvs_kv_format: the key-value store's bytes on the storage (internal to
 * nvs_kv*.c; separate so host tests and the fuzzer can check it directly).
 *
 * The store's area is split into two banks of equal size. Each bank starts
 * with a 32-byte header (two identical 16-byte copies, written in order):
 *   +0 epoch  +4 bank size (u16)  +6 bank number (u8)  +7 format version (u8)
 *   +8 CRC-32 of bytes +0..+7  +12 magic NVS_KV_MAGIC
 * The magic comes last so that a copy cut off while written for the first
 * time never shows it (a blank copy, not a damaged one).
 * The bank whose header is valid with the newer epoch (serial order) is the
 * active one; its log of frames follows the header. A frame is
 *   +0 type (op | FIRST | MORE)  +1 key length  +2 value length (u16)
 *   +4 key  +4+klen value  then a CRC-32 (4 bytes)
 * and its CRC covers a 6-byte seed (the bank's epoch, then the frame's
 * offset in the area, u16) followed by the header, key and value: a frame
 * is only valid at the place and in the epoch it was written for, so stale
 * bytes of an older epoch, or of a torn frame, never pass. All integers
 * little-endian. Pure functions; never block.
 */
#ifndef LIBNVSTORAGE_NVS_KV_FORMAT_H
#define LIBNVSTORAGE_NVS_KV_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#define NVS_KV_MAGIC       0x314B564Eu /* "NVK1" */
#define NVS_KV_VERSION     1u
#define NVS_KV_HDR_COPY    16u                    /* one copy of a bank header */
#define NVS_KV_BANK_HDR    (2u * NVS_KV_HDR_COPY) /* both copies */
#define NVS_KV_FRAME_HDR   4u
#define NVS_KV_FRAME_CRC   4u
#define NVS_KV_FRAME_EXTRA (NVS_KV_FRAME_HDR + NVS_KV_FRAME_CRC)
#define NVS_KV_SEED_LEN    6u
#define NVS_KV_DELI_LEN    2u /* a delete-at frame's value: the index, u16 */

/* Frame type: the operation in the low bits, and two flags that group the
 * frames of one batch: FIRST on its first frame, MORE on all but its last. */
enum nvs_kv_fop {
    NVS_KV_F_PUT = 1,  /* the key's values become [value] */
    NVS_KV_F_ADD = 2,  /* value appended to the key's values */
    NVS_KV_F_DEL = 3,  /* the key and all its values removed */
    NVS_KV_F_DELI = 4, /* the key's value at the index in the value removed */
};
#define NVS_KV_F_OP_MASK 0x07u
#define NVS_KV_F_FIRST   0x80u
#define NVS_KV_F_MORE    0x40u

struct nvs_kv_bank_hdr {
    uint32_t epoch;
    uint16_t bank_size;
    uint8_t bank;
};

struct nvs_kv_frame_hdr {
    uint8_t type;
    uint8_t klen;
    uint16_t vlen;
};

/* Bank header copy <-> bytes. decode: NVS_KV_HDR_OK, or why not. */
enum nvs_kv_hdr_state { NVS_KV_HDR_OK, NVS_KV_HDR_BLANK, NVS_KV_HDR_BAD };
void nvs_kv_bank_encode(const struct nvs_kv_bank_hdr *h, uint8_t out[NVS_KV_HDR_COPY]);
/* BLANK: not our magic (never written by us); BAD: our magic but a failing
 * CRC, unknown version, or a geometry other than (bank, bank_size). */
enum nvs_kv_hdr_state nvs_kv_bank_decode(const uint8_t in[NVS_KV_HDR_COPY], uint8_t bank,
                                         uint16_t bank_size, struct nvs_kv_bank_hdr *h);

void nvs_kv_frame_encode(const struct nvs_kv_frame_hdr *h, uint8_t out[NVS_KV_FRAME_HDR]);
void nvs_kv_frame_decode(const uint8_t in[NVS_KV_FRAME_HDR], struct nvs_kv_frame_hdr *h);

/* The header could have been written by us: a known op, no stray bits, key
 * and value lengths within the limits (and 2 value bytes for DELI, none for
 * DEL), and the frame fits in `room` bytes. */
bool nvs_kv_frame_plausible(const struct nvs_kv_frame_hdr *h, uint32_t room);

/* Bytes a frame takes: header, key, value, CRC. */
uint32_t nvs_kv_frame_len(uint32_t klen, uint32_t vlen);

/* The CRC state after the seed of a frame written in `epoch` at area
 * offset `off`; continue it with nvs_crc32 over header, key and value. */
uint32_t nvs_kv_frame_crc_start(uint32_t epoch, uint16_t off);

/* The 16-bit hash the RAM index sorts keys by (FNV-1a, folded). */
uint16_t nvs_kv_hash(const void *key, uint32_t klen);

/* True if epoch a is newer than b (serial order, wraps). */
bool nvs_kv_epoch_newer(uint32_t a, uint32_t b);

uint32_t nvs_kv_get_le32(const uint8_t *p);
void nvs_kv_put_le32(uint8_t *p, uint32_t v);

#endif /* LIBNVSTORAGE_NVS_KV_FORMAT_H */
