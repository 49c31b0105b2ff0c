/* nv_region: see nv_region.h. */
#include "capsules/nv_region.h"

#define CRC32_INIT     0xFFFFFFFFu
#define NIBBLE_BITS    4
#define NIBBLE_MASK    0x0Fu
#define BYTE_SHIFT_8   8
#define BYTE_SHIFT_16  16
#define BYTE_SHIFT_24  24
#define V1_OFF_VERSION 4  /* format 1 header: magic u32, version u16, ... */
#define V1_OFF_CRC     16 /* ... CRC-32 of the bytes before it */
#define COPIES         2

/* CRC-32 of the reflected polynomial 0xEDB88320 for each 4-bit value: a
 * 64-byte table, two lookups per byte (a byte table would be 1 KiB of
 * flash for 16-byte inputs; bit by bit costs eight steps per byte). */
static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
    0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << BYTE_SHIFT_8 | (uint32_t)p[2] << BYTE_SHIFT_16 |
           (uint32_t)p[3] << BYTE_SHIFT_24;
}

static uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << BYTE_SHIFT_8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> BYTE_SHIFT_8);
    p[2] = (uint8_t)(v >> BYTE_SHIFT_16);
    p[3] = (uint8_t)(v >> BYTE_SHIFT_24);
}

uint32_t nvr_crc32(const uint8_t *p, size_t n)
{
    uint32_t crc = CRC32_INIT;
    size_t i;

    for (i = 0; i < n; i++) {
        crc ^= p[i];
        crc = (crc >> NIBBLE_BITS) ^ crc_nibble[crc & NIBBLE_MASK];
        crc = (crc >> NIBBLE_BITS) ^ crc_nibble[crc & NIBBLE_MASK];
    }
    return crc ^ CRC32_INIT;
}

bool nvr_pos_fits(const struct nvr_area *a, uint32_t i)
{
    uint32_t room = a->end - a->start;

    return i < room / NVR_POS_SIZE;
}

void nvr_encode(uint8_t out[NVR_REC_SIZE], const struct nvr_record *rec)
{
    out[NVR_OFF_MAGIC] = (uint8_t)NVR_MAGIC;
    out[NVR_OFF_MAGIC + 1] = (uint8_t)(NVR_MAGIC >> BYTE_SHIFT_8);
    out[NVR_OFF_VERSION] = NVR_VERSION;
    out[NVR_OFF_KIND] = rec->kind;
    put_le32(out + NVR_OFF_OWNER, rec->owner);
    put_le32(out + NVR_OFF_ADDR, rec->addr);
    put_le32(out + NVR_OFF_LENGTH, rec->length);
    put_le32(out + NVR_OFF_CRC, nvr_crc32(out, NVR_OFF_CRC));
}

bool nvr_decode(const uint8_t in[NVR_REC_SIZE], struct nvr_record *out)
{
    if (get_le16(in + NVR_OFF_MAGIC) != NVR_MAGIC || in[NVR_OFF_VERSION] != NVR_VERSION)
        return false;
    if (in[NVR_OFF_KIND] != NVR_KIND_REGION && in[NVR_OFF_KIND] != NVR_KIND_END)
        return false;
    if (get_le32(in + NVR_OFF_CRC) != nvr_crc32(in, NVR_OFF_CRC))
        return false;
    out->kind = in[NVR_OFF_KIND];
    out->owner = get_le32(in + NVR_OFF_OWNER);
    out->addr = get_le32(in + NVR_OFF_ADDR);
    out->length = get_le32(in + NVR_OFF_LENGTH);
    return true;
}

/* The lowest address data may use when the directory holds `positions`
 * positions (0..positions - 1); false if they do not fit the area. */
static bool room_end(const struct nvr_area *a, uint32_t positions, uint32_t *out)
{
    if (!nvr_pos_fits(a, positions - 1u))
        return false;
    *out = a->start + positions * NVR_POS_SIZE;
    return true;
}

bool nvr_record_fits(const struct nvr_area *a, uint32_t i, const struct nvr_record *rec)
{
    uint32_t floor;

    if (rec->kind == NVR_KIND_END) {
        /* Written at i when the region at i - 1 was allocated: above the
         * END itself and the never-valid position after it. */
        return rec->owner == 0 && rec->length == i &&
               room_end(a, i + NVR_SPARE_POSITIONS, &floor) && rec->addr >= floor &&
               rec->addr <= a->end;
    }
    /* A region at i was allocated above positions 0..i + 2 (its own, the
     * END at i + 1 and the cleared one at i + 2). */
    return rec->length > 0 && room_end(a, i + 1u + NVR_SPARE_POSITIONS, &floor) &&
           rec->addr >= floor && rec->addr <= a->end && rec->length <= a->end - rec->addr;
}

static bool same(const struct nvr_record *x, const struct nvr_record *y)
{
    return x->kind == y->kind && x->owner == y->owner && x->addr == y->addr &&
           x->length == y->length;
}

void nvr_classify(const uint8_t bytes[NVR_POS_SIZE], const struct nvr_area *a, uint32_t i,
                  struct nvr_pos *out)
{
    struct nvr_record p, s;
    bool p_ok = nvr_decode(bytes, &p) && nvr_record_fits(a, i, &p);
    bool s_ok = nvr_decode(bytes + NVR_REC_SIZE, &s) && nvr_record_fits(a, i, &s);

    out->kind = NVR_POS_INVALID;
    out->repair_primary = false;
    out->repair_secondary = false;
    out->rec = (struct nvr_record){0, 0, 0, 0};
    if (!p_ok && !s_ok)
        return;
    /* The primary is written first: when both are valid and differ, the
     * secondary is the older record (an END being overwritten by the
     * region allocated at its place) and is brought up to date. */
    out->rec = p_ok ? p : s;
    out->repair_primary = !p_ok;
    out->repair_secondary = !s_ok || (p_ok && !same(&p, &s));
    out->kind = out->rec.kind == NVR_KIND_REGION ? NVR_POS_REGION : NVR_POS_END;
}

bool nvr_alloc_fits(const struct nvr_area *a, uint32_t i, uint32_t low, uint32_t length)
{
    uint32_t floor;

    return length > 0 && room_end(a, i + 1u + NVR_SPARE_POSITIONS, &floor) && low >= floor &&
           low - floor >= length;
}

bool nvr_is_format1(const uint8_t bytes[NVR_POS_SIZE])
{
    int copy;

    for (copy = 0; copy < COPIES; copy++) {
        const uint8_t *h = bytes + copy * NVR_V1_HDR_SIZE;

        if (get_le32(h) == NVR_V1_MAGIC && get_le16(h + V1_OFF_VERSION) == NVR_V1_VERSION &&
            get_le32(h + V1_OFF_CRC) == nvr_crc32(h, V1_OFF_CRC))
            return true;
    }
    return false;
}
