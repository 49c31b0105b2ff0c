/*
 * nv_region: the on-FRAM format of the isolated storage region table
 * (format 2), as pure functions over bytes (no device access, no state).
 *
 * The managed area [start, end) holds a directory of fixed-size positions
 * growing up from `start`, and region data growing down from `end`:
 *
 *     start                                                          end
 *     [pos 0][pos 1]...[pos K][pos K+1]  ...free...  [data K-1]...[data 0]
 *
 * Position i is at start + i * NVR_POS_SIZE and holds one record written
 * twice (primary copy, then secondary copy). A record is either
 *  - REGION: owner, data address, data length: a live region, or
 *  - END: the end of the table, carrying the data low-water mark (the
 *    lowest data byte in use; `end` when empty) and its own position.
 * Positions 0..K-1 are regions (a damaged one is skipped: the others keep
 * their fixed places), position K is the END, position K+1 is never valid
 * (allocation clears it). Headers never live inside app data, so app bytes
 * are never read as headers. docs/nvstorage.md gives the crash-safety and
 * damage arguments; capsules/nv_storage.c does the writes in that order.
 *
 * Record (little endian, NVR_REC_SIZE bytes):
 *     0  magic    u16  NVR_MAGIC ("NV" in byte order)
 *     2  version  u8   NVR_VERSION
 *     3  kind     u8   NVR_KIND_REGION or NVR_KIND_END
 *     4  owner    u32  REGION: the owning write id; END: 0
 *     8  addr     u32  REGION: first data byte; END: low-water mark
 *    12  length   u32  REGION: data bytes (> 0); END: its position index
 *    16  crc      u32  CRC-32 (IEEE, as zlib) of bytes 0..15
 *
 * Format 1 (a chain of 20-byte headers "NVRG", version 1, from `start`) is
 * recognised only to refuse it: nvr_is_format1().
 *
 * tools/fram_inspect.py and tools/fram_tool.py read the same format;
 * tests/py/test_fram_inspect.py cross-checks them against this code.
 * Callers: capsules/nv_storage.c, host tests, fuzz targets. Never blocks.
 */
#ifndef CAPSULES_NV_REGION_H
#define CAPSULES_NV_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NVR_MAGIC   0x564Eu /* bytes 'N' 'V' */
#define NVR_VERSION 2u

#define NVR_KIND_REGION 1u
#define NVR_KIND_END    2u

#define NVR_OFF_MAGIC   0
#define NVR_OFF_VERSION 2
#define NVR_OFF_KIND    3
#define NVR_OFF_OWNER   4
#define NVR_OFF_ADDR    8
#define NVR_OFF_LENGTH  12
#define NVR_OFF_CRC     16
#define NVR_REC_SIZE    20
#define NVR_POS_SIZE    (2 * NVR_REC_SIZE) /* primary + secondary copy */

/* Directory positions beyond the regions: the END and the never-valid
 * position after it (an allocation at position i clears i + 2). */
#define NVR_SPARE_POSITIONS 2u

/* Area bytes that hold exactly n regions of size data bytes each. */
#define NVR_AREA_FOR(n, size) ((n) * ((size) + NVR_POS_SIZE) + NVR_SPARE_POSITIONS * NVR_POS_SIZE)

/* The byte value a cleared area holds (what allocation writes). */
#define NVR_CLEAR_BYTE 0x00u

/* Format 1, recognised only to refuse it. */
#define NVR_V1_MAGIC    0x4752564Eu /* bytes 'N' 'V' 'R' 'G' */
#define NVR_V1_VERSION  1u
#define NVR_V1_HDR_SIZE 20

struct nvr_record {
    uint8_t kind; /* NVR_KIND_REGION or NVR_KIND_END */
    uint32_t owner;
    uint32_t addr;
    uint32_t length;
};

enum nvr_pos_kind {
    NVR_POS_REGION,  /* a live region: rec valid */
    NVR_POS_END,     /* the end of the table: rec.addr is the low-water mark */
    NVR_POS_INVALID, /* neither copy holds a valid record for this position */
};

struct nvr_pos {
    enum nvr_pos_kind kind;
    struct nvr_record rec;
    bool repair_primary;   /* the primary copy must be rewritten from rec */
    bool repair_secondary; /* the secondary copy must be rewritten from rec */
};

/* The area's geometry, checked by the capsule (start < end, no wrap). */
struct nvr_area {
    uint32_t start, end;
};

/* CRC-32 (reflected polynomial 0xEDB88320, initial and final xor all ones),
 * four bits at a time from a 16-entry table. */
uint32_t nvr_crc32(const uint8_t *p, size_t n);

/* Device address of directory position i. */
static inline uint32_t nvr_pos_addr(const struct nvr_area *a, uint32_t i)
{
    return a->start + i * NVR_POS_SIZE;
}

/* True if position i lies wholly inside the area. */
bool nvr_pos_fits(const struct nvr_area *a, uint32_t i);

/* Serialise rec into out (one copy). */
void nvr_encode(uint8_t out[NVR_REC_SIZE], const struct nvr_record *rec);

/* Parse one copy: true if magic, version, kind and CRC are right. */
bool nvr_decode(const uint8_t in[NVR_REC_SIZE], struct nvr_record *out);

/* True if rec may stand at position i of area a: a REGION lies inside the
 * area above the directory room it needs, an END's
 * low-water mark is in [that room's end, area end] and its index is i.
 * "The room position i needs": positions 0..i+NVR_SPARE_POSITIONS. */
bool nvr_record_fits(const struct nvr_area *a, uint32_t i, const struct nvr_record *rec);

/* Classify position i from its NVR_POS_SIZE bytes. The primary copy is
 * always written first, so a valid primary wins; a valid secondary stands
 * in for a damaged primary. Copies that decode but do not fit position i
 * count as invalid. */
void nvr_classify(const uint8_t bytes[NVR_POS_SIZE], const struct nvr_area *a, uint32_t i,
                  struct nvr_pos *out);

/* True if a region of length bytes (> 0) can be allocated at position i
 * with the data low-water mark at low: its data [low - length, low) must
 * stay above positions 0..i+1+NVR_SPARE_POSITIONS (the new END at i+1
 * and the position after it). */
bool nvr_alloc_fits(const struct nvr_area *a, uint32_t i, uint32_t low, uint32_t length);

/* True if the NVR_POS_SIZE bytes at the area start hold a format-1 header
 * copy (either of the first slot's two). */
bool nvr_is_format1(const uint8_t bytes[NVR_POS_SIZE]);

#endif /* CAPSULES_NV_REGION_H */
