/*
 * Atomic records over the synchronous core calls (nvs_record.h explains the
 * scheme). Plain logic: compiles on the host against a fake region.
 */
#include <stddef.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_crc32.h"
#include "libnvstorage/nvs_record.h"

/* Payload bytes checked per read while scanning a slot: small enough for
 * the stack, large enough to keep the number of kernel calls down. */
#define SCAN_CHUNK 64u

uint64_t nvs_record_footprint(uint32_t size)
{
    return NVS_SLOT_COUNT * ((uint64_t)NVS_SLOT_HDR_SIZE + size);
}

static uint64_t slot_offset(const struct nvs_record *r, int slot)
{
    return r->offset + (uint64_t)slot * (NVS_SLOT_HDR_SIZE + (uint64_t)r->size);
}

static bool args_ok(const struct nvs_record *r, const void *payload)
{
    return r != NULL && payload != NULL && r->size > 0 &&
           r->offset <= UINT64_MAX - nvs_record_footprint(r->size);
}

/* Read a slot's header; *hdr_ok = it has our magic and our size. */
static int read_header(const struct nvs_record *r, int slot, struct nvs_slot_hdr *h, bool *hdr_ok)
{
    uint8_t raw[NVS_SLOT_HDR_SIZE];
    int err = nvs_read(slot_offset(r, slot), raw, sizeof(raw));

    if (err != NVS_OK)
        return err;
    nvs_slot_decode(raw, h);
    *hdr_ok = h->magic == NVS_SLOT_MAGIC && h->size == r->size;
    return NVS_OK;
}

/* Check one slot: *valid = header and CRC agree with the payload stored. */
static int check_slot(struct nvs_record *r, int slot, struct nvs_slot_hdr *h, bool *valid)
{
    uint8_t chunk[SCAN_CHUNK];
    uint64_t at = slot_offset(r, slot) + NVS_SLOT_HDR_SIZE;
    uint32_t left = r->size;
    uint32_t crc;
    bool hdr_ok;
    int err = read_header(r, slot, h, &hdr_ok);

    *valid = false;
    if (err != NVS_OK || h->magic != NVS_SLOT_MAGIC)
        return err; /* never written by us: empty, not damaged */
    if (hdr_ok) {
        crc = nvs_slot_crc_start(h);
        while (left > 0) {
            uint32_t n = left < SCAN_CHUNK ? left : SCAN_CHUNK;
            err = nvs_read(at, chunk, n);
            if (err != NVS_OK)
                return err;
            crc = nvs_crc32(crc, chunk, n);
            at += n;
            left -= n;
        }
        *valid = crc == h->crc;
    }
    if (*valid)
        r->valid |= (uint8_t)(1u << slot);
    else
        r->damaged |= (uint8_t)(1u << slot);
    return NVS_OK;
}

/* Check both slots and remember which holds the current version. */
static int scan(struct nvs_record *r)
{
    struct nvs_slot_hdr h[NVS_SLOT_COUNT];
    bool ok[NVS_SLOT_COUNT];
    int pick;

    r->known = false;
    r->valid = 0;
    r->damaged = 0;
    for (int s = 0; s < (int)NVS_SLOT_COUNT; s++) {
        int err = check_slot(r, s, &h[s], &ok[s]);
        if (err != NVS_OK)
            return err;
    }
    pick = nvs_slot_pick(ok[0], h[0].seq, ok[1], h[1].seq);
    r->have = pick != NVS_SLOT_NONE;
    r->current = r->have ? (uint8_t)pick : 0;
    r->seq = r->have ? h[pick].seq : 0;
    r->known = true;
    return NVS_OK;
}

int nvs_record_load(struct nvs_record *r, void *payload)
{
    struct nvs_slot_hdr h;
    bool hdr_ok;
    int err;

    if (!args_ok(r, payload))
        return NVS_ERR_ARG;
    err = scan(r);
    if (err != NVS_OK)
        return err;
    if (!r->have)
        return NVS_ERR_NO_RECORD;
    /* Read the winner again, header included, and check what we hand out. */
    err = read_header(r, r->current, &h, &hdr_ok);
    if (err == NVS_OK)
        err = nvs_read(slot_offset(r, r->current) + NVS_SLOT_HDR_SIZE, payload, r->size);
    if (err != NVS_OK)
        return err;
    if (!hdr_ok || h.seq != r->seq ||
        nvs_crc32(nvs_slot_crc_start(&h), payload, r->size) != h.crc) {
        r->known = false;
        return NVS_ERR_FAIL; /* changed under us: not by these functions */
    }
    return NVS_OK;
}

int nvs_record_save(struct nvs_record *r, const void *payload)
{
    struct nvs_slot_hdr h = {.magic = NVS_SLOT_MAGIC, .size = 0};
    uint8_t raw[NVS_SLOT_HDR_SIZE];
    int target;
    int err;

    if (!args_ok(r, payload))
        return NVS_ERR_ARG;
    if (!r->known) {
        err = scan(r);
        if (err != NVS_OK)
            return err;
    }
    nvs_slot_next(r->have ? r->current : NVS_SLOT_NONE, r->seq, &target, &h.seq);
    h.size = r->size;
    h.crc = nvs_crc32(nvs_slot_crc_start(&h), payload, r->size);
    nvs_slot_encode(&h, raw);
    /* Payload first, header last: until the header lands, the target slot
     * fails its CRC (or still shows an older sequence) and the current
     * version wins. */
    err = nvs_write(slot_offset(r, target) + NVS_SLOT_HDR_SIZE, payload, r->size);
    if (err == NVS_OK)
        err = nvs_write(slot_offset(r, target), raw, sizeof(raw));
    if (err != NVS_OK) {
        r->known = false; /* the target slot's state is unknown now */
        return err;
    }
    r->have = true;
    r->current = (uint8_t)target;
    r->seq = h.seq;
    r->valid |= (uint8_t)(1u << target);
    r->damaged &= (uint8_t) ~(1u << target);
    return NVS_OK;
}
