/*
 * nv_region: the on-FRAM format of the isolated storage region table, as
 * pure functions over bytes (no device access, no state).
 *
 * The storage area is a chain of slots. A slot is a primary header, a
 * secondary copy of the same header, then the region's data:
 *
 *     [ primary header | secondary header | data (length bytes) ] [ next slot ...
 *
 * The chain is followed by the lengths in trusted (checksummed) headers only;
 * data bytes belong to apps and are never searched for headers. The first
 * slot whose two headers are both invalid ends the chain: if its secondary
 * copy is blank, the slot is free (a new region may be allocated there);
 * otherwise it is corrupt and nothing past it may ever be allocated.
 * docs/nvstorage.md gives the crash-safety argument.
 *
 * Header (little endian, NVR_HDR_SIZE bytes):
 *     0  magic    u32  NVR_MAGIC ("NVRG" in byte order)
 *     4  version  u16  NVR_VERSION
 *     6  reserved u16  0
 *     8  owner    u32  the owning app's storage write id
 *    12  length   u32  data bytes (> 0)
 *    16  crc      u32  CRC-32 (IEEE, as zlib) of bytes 0..15
 *
 * tools/fram_inspect.py reads the same format; tests/py/test_fram_inspect.py
 * cross-checks it against images written by this code.
 * Callers: capsules/nv_storage.c, host tests, fuzz targets. Never blocks.
 */
#ifndef CAPSULES_NV_REGION_H
#define CAPSULES_NV_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NVR_MAGIC   0x4752564Eu /* bytes 'N' 'V' 'R' 'G' */
#define NVR_VERSION 1u

#define NVR_OFF_MAGIC    0
#define NVR_OFF_VERSION  4
#define NVR_OFF_RESERVED 6
#define NVR_OFF_OWNER    8
#define NVR_OFF_LENGTH   12
#define NVR_OFF_CRC      16
#define NVR_HDR_SIZE     20
#define NVR_SLOT_SIZE    (2 * NVR_HDR_SIZE) /* primary + secondary copy */

/* The byte value a cleared area holds (what allocation writes). */
#define NVR_CLEAR_BYTE 0x00u

struct nvr_header {
    uint32_t owner;
    uint32_t length;
};

enum nvr_slot_kind {
    NVR_SLOT_LIVE,    /* a region: owner, length, data address valid */
    NVR_SLOT_FREE,    /* end of the chain; a region may be allocated here */
    NVR_SLOT_CORRUPT, /* unreadable: the chain ends, allocation is stopped */
};

struct nvr_slot {
    enum nvr_slot_kind kind;
    struct nvr_header hdr;
    uint32_t data_addr;    /* LIVE: first data byte */
    uint32_t next_addr;    /* LIVE: address of the next slot */
    bool repair_primary;   /* LIVE: primary copy is bad, secondary good */
    bool repair_secondary; /* LIVE: secondary copy is bad, primary good */
};

/* CRC-32 (reflected polynomial 0xEDB88320, initial and final xor all ones). */
uint32_t nvr_crc32(const uint8_t *p, size_t n);

/* Serialise a header for owner/length into out. */
void nvr_encode(uint8_t out[NVR_HDR_SIZE], uint32_t owner, uint32_t length);

/* Parse one header copy: true if magic, version, reserved field and CRC are
 * right (geometry is checked by nvr_classify). */
bool nvr_decode(const uint8_t in[NVR_HDR_SIZE], struct nvr_header *out);

/* True if all n bytes are 0x00, or all are 0xFF (a fresh chip). */
bool nvr_is_blank(const uint8_t *p, size_t n);

/* Classify the slot whose NVR_SLOT_SIZE bytes are in `bytes`, found at
 * slot_addr in an area ending at area_end (exclusive). The caller has
 * checked that the slot itself fits (area_end - slot_addr >= NVR_SLOT_SIZE).
 * A header whose region would leave the area, or whose two copies disagree,
 * makes the slot CORRUPT. */
void nvr_classify(const uint8_t bytes[NVR_SLOT_SIZE], uint32_t slot_addr, uint32_t area_end,
                  struct nvr_slot *out);

/* True if a slot fits at slot_addr before area_end. */
static inline bool nvr_slot_fits(uint32_t slot_addr, uint32_t area_end)
{
    return slot_addr <= area_end && area_end - slot_addr >= NVR_SLOT_SIZE;
}

/* True if a region of length bytes (> 0) fits in a slot at slot_addr. */
static inline bool nvr_region_fits(uint32_t slot_addr, uint32_t length, uint32_t area_end)
{
    return length > 0 && nvr_slot_fits(slot_addr, area_end) &&
           length <= area_end - slot_addr - NVR_SLOT_SIZE;
}

/* The end (exclusive) of what allocating length bytes at slot_addr must clear
 * before committing: the secondary copy, the data and the following slot's
 * headers, cut at area_end. Clearing starts at slot_addr + NVR_HDR_SIZE. */
uint32_t nvr_clear_end(uint32_t slot_addr, uint32_t length, uint32_t area_end);

#endif /* CAPSULES_NV_REGION_H */
