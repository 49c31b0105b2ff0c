/* nv_region: see nv_region.h. */
#include "capsules/nv_region.h"

#define CRC32_POLY_REFLECTED 0xEDB88320u
#define CRC32_INIT           0xFFFFFFFFu
#define BLANK_ONES           0xFFu
#define BITS_PER_BYTE        8

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

uint32_t nvr_crc32(const uint8_t *p, size_t n)
{
    uint32_t crc = CRC32_INIT;
    size_t i;
    int bit;

    /* Bitwise: a table would cost 1 KiB of flash for 16-byte inputs. */
    for (i = 0; i < n; i++) {
        crc ^= p[i];
        for (bit = 0; bit < BITS_PER_BYTE; bit++)
            crc = (crc >> 1) ^ ((crc & 1u) ? CRC32_POLY_REFLECTED : 0u);
    }
    return crc ^ CRC32_INIT;
}

void nvr_encode(uint8_t out[NVR_HDR_SIZE], uint32_t owner, uint32_t length)
{
    put_le32(out + NVR_OFF_MAGIC, NVR_MAGIC);
    put_le16(out + NVR_OFF_VERSION, NVR_VERSION);
    put_le16(out + NVR_OFF_RESERVED, 0);
    put_le32(out + NVR_OFF_OWNER, owner);
    put_le32(out + NVR_OFF_LENGTH, length);
    put_le32(out + NVR_OFF_CRC, nvr_crc32(out, NVR_OFF_CRC));
}

bool nvr_decode(const uint8_t in[NVR_HDR_SIZE], struct nvr_header *out)
{
    if (get_le32(in + NVR_OFF_MAGIC) != NVR_MAGIC)
        return false;
    if (get_le16(in + NVR_OFF_VERSION) != NVR_VERSION)
        return false;
    if (get_le16(in + NVR_OFF_RESERVED) != 0)
        return false;
    if (get_le32(in + NVR_OFF_CRC) != nvr_crc32(in, NVR_OFF_CRC))
        return false;
    out->owner = get_le32(in + NVR_OFF_OWNER);
    out->length = get_le32(in + NVR_OFF_LENGTH);
    return true;
}

bool nvr_is_blank(const uint8_t *p, size_t n)
{
    size_t i;
    uint8_t first;

    if (n == 0)
        return true;
    first = p[0];
    if (first != NVR_CLEAR_BYTE && first != BLANK_ONES)
        return false;
    for (i = 1; i < n; i++)
        if (p[i] != first)
            return false;
    return true;
}

void nvr_classify(const uint8_t bytes[NVR_SLOT_SIZE], uint32_t slot_addr, uint32_t area_end,
                  struct nvr_slot *out)
{
    const uint8_t *primary = bytes;
    const uint8_t *secondary = bytes + NVR_HDR_SIZE;
    struct nvr_header p, s;
    bool p_ok = nvr_decode(primary, &p);
    bool s_ok = nvr_decode(secondary, &s);

    out->kind = NVR_SLOT_CORRUPT;
    out->hdr.owner = 0;
    out->hdr.length = 0;
    out->data_addr = 0;
    out->next_addr = 0;
    out->repair_primary = false;
    out->repair_secondary = false;

    if (!p_ok && !s_ok) {
        /* The secondary copy is written only after the primary is complete,
         * so a blank secondary means no header was ever committed here: a
         * torn primary is an allocation cut short, and the slot is free. */
        if (nvr_is_blank(secondary, NVR_HDR_SIZE))
            out->kind = NVR_SLOT_FREE;
        return;
    }
    if (p_ok && s_ok && (p.owner != s.owner || p.length != s.length))
        return; /* two valid copies that disagree: trust neither */
    out->hdr = p_ok ? p : s;
    if (!nvr_region_fits(slot_addr, out->hdr.length, area_end))
        return; /* a region leaving the area: not ours to follow */
    out->kind = NVR_SLOT_LIVE;
    out->data_addr = slot_addr + NVR_SLOT_SIZE;
    out->next_addr = out->data_addr + out->hdr.length;
    out->repair_primary = !p_ok;
    out->repair_secondary = !s_ok;
}

uint32_t nvr_clear_end(uint32_t slot_addr, uint32_t length, uint32_t area_end)
{
    uint32_t next = slot_addr + NVR_SLOT_SIZE + length; /* caller checked the fit */

    if (area_end - next >= NVR_SLOT_SIZE)
        return next + NVR_SLOT_SIZE;
    return area_end;
}
