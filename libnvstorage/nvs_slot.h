/*
 * nvs_slot: the on-storage format of an atomic record slot and the rule
 * that picks the winning slot (internal to nvs_record.c; separate so the
 * host tests can check it directly).
 *
 * A slot is a 16-byte header followed by the payload:
 *   +0  magic   NVS_SLOT_MAGIC
 *   +4  seq     sequence number of this version (wraps; compared serially)
 *   +8  size    payload bytes
 *   +12 crc     nvs_crc32 over bytes +0..+11 and then the payload
 * All words little-endian. Pure functions; never block.
 */
#ifndef LIBNVSTORAGE_NVS_SLOT_H
#define LIBNVSTORAGE_NVS_SLOT_H

#include <stdbool.h>
#include <stdint.h>

#define NVS_SLOT_MAGIC    0x3152564Eu /* "NVR1" */
#define NVS_SLOT_HDR_SIZE 16u
#define NVS_SLOT_COUNT    2u
#define NVS_SLOT_NONE     (-1)

struct nvs_slot_hdr {
    uint32_t magic;
    uint32_t seq;
    uint32_t size;
    uint32_t crc;
};

void nvs_slot_encode(const struct nvs_slot_hdr *h, uint8_t out[NVS_SLOT_HDR_SIZE]);
void nvs_slot_decode(const uint8_t in[NVS_SLOT_HDR_SIZE], struct nvs_slot_hdr *h);

/* The CRC of the header's first three words: continue it over the payload
 * with nvs_crc32 to get the slot's crc. */
uint32_t nvs_slot_crc_start(const struct nvs_slot_hdr *h);

/* True if seq a is newer than seq b (serial-number order, so the counter may
 * wrap: a is newer if it is at most 2^31 - 1 steps ahead of b). */
bool nvs_slot_newer(uint32_t a, uint32_t b);

/* The slot holding the newest valid record, or NVS_SLOT_NONE. Equal
 * sequence numbers (only possible after outside damage) pick slot 0. */
int nvs_slot_pick(bool valid0, uint32_t seq0, bool valid1, uint32_t seq1);

/* Where the next version goes, and its sequence number: the slot that does
 * not hold the current record (slot 0, seq 1 when there is none). */
void nvs_slot_next(int current, uint32_t cur_seq, int *target, uint32_t *seq);

#endif /* LIBNVSTORAGE_NVS_SLOT_H */
