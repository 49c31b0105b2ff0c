/*
 * nvs_record: a fixed-size record (a settings struct, a counter) kept in the
 * app's region so that a power cut at any instant leaves either the
 * previous or the new version loadable, never a mix.
 *
 * How: two slots of NVS_SLOT_HDR_SIZE + size bytes each (nvs_slot.h). A
 * save writes the slot that does not hold the current version: first the
 * payload, then the header carrying sequence number current + 1 and a
 * CRC-32 over header and payload. A load checks both slots and returns the
 * valid one with the newer sequence number. A cut during the save leaves
 * the written slot failing its CRC (or still holding an older sequence), so
 * the other slot, untouched, wins.
 *
 * Guarantee: after a save returns NVS_OK, loads return that version until
 * the next save. If a save is cut off (power, fault, error), loads return
 * either the previous version or the new one, whole. The guarantee holds
 * while nothing but these functions writes the two slots.
 *
 * Cost: space nvs_record_footprint(size) = 2 * (16 + size) bytes. Each save
 * writes 16 + size bytes in two write operations. The first load or save
 * after start reads both slots (about 2 * (16 + size) bytes, plus the
 * winning payload again on load); later saves read nothing.
 *
 * Main-line code only: every function blocks in the synchronous calls of
 * nvs.h. Nothing is allocated; the struct is the caller's.
 */
#ifndef LIBNVSTORAGE_NVS_RECORD_H
#define LIBNVSTORAGE_NVS_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "libnvstorage/nvs_slot.h"

struct nvs_record {
    /* Set by the app (NVS_RECORD_INIT). */
    uint64_t offset; /* where the two slots start in the region */
    uint32_t size;   /* payload bytes (> 0) */
    /* Kept by the library between calls; read-only for the app. */
    bool known;      /* the slots have been checked since start */
    bool have;       /* a valid version exists */
    uint8_t current; /* its slot */
    uint8_t valid;   /* slots that passed at the last check (bit n = slot n) */
    uint8_t damaged; /* slots with our magic that failed size or CRC checks:
                        the trace of a cut-off save */
    uint32_t seq;    /* its sequence number */
};

#define NVS_RECORD_INIT(off, sz)                                                                   \
    {                                                                                              \
        .offset = (off), .size = (sz)                                                              \
    }

/* Bytes of the region a record of `size` payload bytes occupies. */
uint64_t nvs_record_footprint(uint32_t size);

/* Load the newest valid version into payload (size bytes). Returns NVS_OK;
 * NVS_ERR_NO_RECORD if neither slot holds one (never saved, or a region
 * that held something else); NVS_ERR_ARG (NULL, size 0, offset range
 * overflows); or the errors of nvs_read (INVAL: the slots do not fit in
 * the region). On error payload's contents are unspecified. Blocks. */
int nvs_record_load(struct nvs_record *r, void *payload);

/* Save payload (size bytes) as the new version; on NVS_OK it is on the chip
 * and is what loads return. Errors: ARG, and those of nvs_read/nvs_write
 * (on error the previous version is still loadable). Blocks. */
int nvs_record_save(struct nvs_record *r, const void *payload);

#endif /* LIBNVSTORAGE_NVS_RECORD_H */
