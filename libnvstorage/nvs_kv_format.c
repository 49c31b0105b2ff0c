/* The key-value store's on-storage format; see nvs_kv_format.h. */
#include "libnvstorage/nvs_crc32.h"
#include "libnvstorage/nvs_kv.h"
#include "libnvstorage/nvs_kv_format.h"

#define BYTE_BITS  8u
#define BYTE_MASK  0xFFu
#define WORD_BYTES 4u
#define HALF_BITS  16u
#define HALF_MASK  0xFFFFu
#define SERIAL_MAX 0x7FFFFFFFu
/* FNV-1a, 32-bit. */
#define FNV_OFFSET 2166136261u
#define FNV_PRIME  16777619u

/* Bank header copy layout. */
#define BH_EPOCH   0u
#define BH_SIZE    4u
#define BH_BANK    6u
#define BH_VERSION 7u
#define BH_CRC     8u
#define BH_MAGIC   12u

uint32_t nvs_kv_get_le32(const uint8_t *p)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < WORD_BYTES; i++)
        v |= (uint32_t)p[i] << (BYTE_BITS * i);
    return v;
}

void nvs_kv_put_le32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < WORD_BYTES; i++)
        p[i] = (uint8_t)((v >> (BYTE_BITS * i)) & BYTE_MASK);
}

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v & BYTE_MASK);
    p[1] = (uint8_t)(v >> BYTE_BITS);
}

static uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << BYTE_BITS));
}

void nvs_kv_bank_encode(const struct nvs_kv_bank_hdr *h, uint8_t out[NVS_KV_HDR_COPY])
{
    nvs_kv_put_le32(out + BH_MAGIC, NVS_KV_MAGIC);
    nvs_kv_put_le32(out + BH_EPOCH, h->epoch);
    put_le16(out + BH_SIZE, h->bank_size);
    out[BH_BANK] = h->bank;
    out[BH_VERSION] = NVS_KV_VERSION;
    nvs_kv_put_le32(out + BH_CRC, nvs_crc32(0, out, BH_CRC));
}

enum nvs_kv_hdr_state nvs_kv_bank_decode(const uint8_t in[NVS_KV_HDR_COPY], uint8_t bank,
                                         uint16_t bank_size, struct nvs_kv_bank_hdr *h)
{
    if (nvs_kv_get_le32(in + BH_MAGIC) != NVS_KV_MAGIC)
        return NVS_KV_HDR_BLANK;
    h->epoch = nvs_kv_get_le32(in + BH_EPOCH);
    h->bank_size = get_le16(in + BH_SIZE);
    h->bank = in[BH_BANK];
    if (nvs_kv_get_le32(in + BH_CRC) != nvs_crc32(0, in, BH_CRC) ||
        in[BH_VERSION] != NVS_KV_VERSION || h->bank != bank || h->bank_size != bank_size)
        return NVS_KV_HDR_BAD;
    return NVS_KV_HDR_OK;
}

void nvs_kv_frame_encode(const struct nvs_kv_frame_hdr *h, uint8_t out[NVS_KV_FRAME_HDR])
{
    out[0] = h->type;
    out[1] = h->klen;
    put_le16(out + 2, h->vlen);
}

void nvs_kv_frame_decode(const uint8_t in[NVS_KV_FRAME_HDR], struct nvs_kv_frame_hdr *h)
{
    h->type = in[0];
    h->klen = in[1];
    h->vlen = get_le16(in + 2);
}

bool nvs_kv_frame_plausible(const struct nvs_kv_frame_hdr *h, uint32_t room)
{
    unsigned op = h->type & NVS_KV_F_OP_MASK;
    unsigned flags = NVS_KV_F_OP_MASK | NVS_KV_F_FIRST | NVS_KV_F_MORE;

    if ((h->type & ~flags) != 0 || op < NVS_KV_F_PUT || op > NVS_KV_F_DELI)
        return false;
    if (h->klen == 0 || h->klen > NVS_KV_KEY_MAX || h->vlen > NVS_KV_VALUE_MAX)
        return false;
    if ((op == NVS_KV_F_DEL && h->vlen != 0) || (op == NVS_KV_F_DELI && h->vlen != NVS_KV_DELI_LEN))
        return false;
    return nvs_kv_frame_len(h->klen, h->vlen) <= room;
}

uint32_t nvs_kv_frame_len(uint32_t klen, uint32_t vlen)
{
    return NVS_KV_FRAME_EXTRA + klen + vlen;
}

uint32_t nvs_kv_frame_crc_start(uint32_t epoch, uint16_t off)
{
    uint8_t seed[NVS_KV_SEED_LEN];

    nvs_kv_put_le32(seed, epoch);
    put_le16(seed + WORD_BYTES, off);
    return nvs_crc32(0, seed, sizeof(seed));
}

uint16_t nvs_kv_hash(const void *key, uint32_t klen)
{
    const uint8_t *p = key;
    uint32_t h = FNV_OFFSET;

    while (klen-- > 0)
        h = (h ^ *p++) * FNV_PRIME;
    return (uint16_t)((h ^ (h >> HALF_BITS)) & HALF_MASK);
}

bool nvs_kv_epoch_newer(uint32_t a, uint32_t b)
{
    return a != b && a - b <= SERIAL_MAX;
}
