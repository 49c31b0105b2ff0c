/* Slot header encoding and the slot choice rule; see nvs_slot.h. */
#include "libnvstorage/nvs_slot.h"
#include "libnvstorage/nvs_crc32.h"

#define HDR_WORDS_IN_CRC 3u
#define BYTES_PER_WORD   4u
#define BITS_PER_BYTE    8u
#define BYTE_MASK        0xFFu

static void put_le32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < BYTES_PER_WORD; i++)
        p[i] = (uint8_t)((v >> (BITS_PER_BYTE * i)) & BYTE_MASK);
}

static uint32_t get_le32(const uint8_t *p)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < BYTES_PER_WORD; i++)
        v |= (uint32_t)p[i] << (BITS_PER_BYTE * i);
    return v;
}

void nvs_slot_encode(const struct nvs_slot_hdr *h, uint8_t out[NVS_SLOT_HDR_SIZE])
{
    put_le32(out + 0 * BYTES_PER_WORD, h->magic);
    put_le32(out + 1 * BYTES_PER_WORD, h->seq);
    put_le32(out + 2 * BYTES_PER_WORD, h->size);
    put_le32(out + 3 * BYTES_PER_WORD, h->crc);
}

void nvs_slot_decode(const uint8_t in[NVS_SLOT_HDR_SIZE], struct nvs_slot_hdr *h)
{
    h->magic = get_le32(in + 0 * BYTES_PER_WORD);
    h->seq = get_le32(in + 1 * BYTES_PER_WORD);
    h->size = get_le32(in + 2 * BYTES_PER_WORD);
    h->crc = get_le32(in + 3 * BYTES_PER_WORD);
}

uint32_t nvs_slot_crc_start(const struct nvs_slot_hdr *h)
{
    uint8_t raw[NVS_SLOT_HDR_SIZE];

    nvs_slot_encode(h, raw);
    return nvs_crc32(0, raw, HDR_WORDS_IN_CRC * BYTES_PER_WORD);
}

bool nvs_slot_newer(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

int nvs_slot_pick(bool valid0, uint32_t seq0, bool valid1, uint32_t seq1)
{
    if (valid0 && valid1)
        return nvs_slot_newer(seq1, seq0) ? 1 : 0;
    if (valid0)
        return 0;
    if (valid1)
        return 1;
    return NVS_SLOT_NONE;
}

void nvs_slot_next(int current, uint32_t cur_seq, int *target, uint32_t *seq)
{
    if (current == NVS_SLOT_NONE) {
        *target = 0;
        *seq = 1;
        return;
    }
    *target = 1 - current;
    *seq = cur_seq + 1;
}
