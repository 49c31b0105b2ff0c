/*
 * nvs_kv: a key-value store in the app's own storage region (or any part of
 * it the app chooses), safe against power cuts at any byte.
 *
 * Keys are byte strings of 1..NVS_KV_KEY_MAX bytes; values 0..NVS_KV_VALUE_MAX
 * bytes. A key holds a list of values (OpenThread's model): put makes it
 * [value], add appends one, get/delete take an index (0 = first). A batch
 * applies several puts, adds and deletes as one: after a power cut, all of
 * them or none are visible.
 *
 * How (docs/libnvstorage.md argues the design): the area is split into two
 * banks; the active bank holds a log of CRC-checked frames, one per
 * operation, each written once and never in place. open() reads the log
 * and builds a small index in RAM (6 bytes per value, in an array the app
 * gives), so a get is one read of the frame it needs and a put one write.
 * When the active bank is full, the live values are copied to the other
 * bank, whose header is written last (compaction).
 *
 * Guarantees: after a call returns NVS_OK its effect is on the chip. If a
 * call is cut off (power, fault, storage error), a later open shows for
 * every key its values from before the call or from after it (for a batch:
 * all before or all after), and nothing else changed. Bytes damaged by
 * other causes are detected by CRC: open reports NVS_ERR_CORRUPT and every
 * undamaged frame stays readable; get never hands out a value that fails
 * its CRC. These hold while nothing but these functions writes the area.
 *
 * Contract: main-line code only (every call may block in the synchronous
 * calls of nvs.h). Nothing is allocated; the struct and the index array
 * belong to the caller and must stay alive while the store is used. One
 * struct nvs_kv per area, one caller at a time.
 */
#ifndef LIBNVSTORAGE_NVS_KV_H
#define LIBNVSTORAGE_NVS_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NVS_KV_KEY_MAX   64u
#define NVS_KV_VALUE_MAX 1024u
/* Area sizes: offsets in the index are 16-bit. The minimum holds two bank
 * headers and one frame with a 1-byte key per bank. */
#define NVS_KV_AREA_MAX 65534u
#define NVS_KV_AREA_MIN 82u
/* Bytes a value with a key of klen bytes takes in the log: a 4-byte
 * header and a 4-byte CRC besides key and value (nvs_kv_format.h). */
#define NVS_KV_ENTRY_OVERHEAD          8u
#define NVS_KV_ENTRY_BYTES(klen, vlen) (NVS_KV_ENTRY_OVERHEAD + (klen) + (vlen))

/* One value in the RAM index (read-only for the app). */
struct nvs_kv_slot {
    uint16_t off;  /* its frame's offset in the area */
    uint16_t hash; /* nvs_kv_hash of its key: the index's sort key */
    uint16_t vlen; /* value length; NVS_KV_SLOT_CONT: same key as the slot before */
};
#define NVS_KV_SLOT_CONT 0x8000u

struct nvs_kv {
    /* Set by nvs_kv_open; read-only for the app. */
    uint64_t base;             /* area start in the region */
    uint32_t size;             /* area bytes */
    struct nvs_kv_slot *slots; /* the index: sorted by hash, a key's values together */
    uint16_t cap;              /* slots available */
    uint16_t n;                /* slots in use (values stored) */
    uint32_t epoch;            /* the active bank's epoch */
    uint16_t tail;             /* area offset where the next frame goes */
    uint16_t live;             /* log bytes of the values stored */
    uint16_t damaged;          /* frames that failed their checks (found by open or a
                                  compaction; a get reports its own as CORRUPT) */
    uint8_t bank;              /* active bank, 0 or 1 */
    uint8_t clean;             /* bit b: bank b's header copies are whole and agree (so its
                                  old frames are all of older epochs) */
    bool opened;               /* the last nvs_kv_open succeeded (NVS_OK or CORRUPT) */
    bool formatted;            /* a bank header exists (else: empty, unwritten) */
    bool broken;               /* headers damaged: reads find nothing, writes fail */
    bool fix_hdr;              /* the active header's second copy needs rewriting */
};

enum nvs_kv_kind {
    NVS_KV_PUT = 1,       /* key's values become [value] */
    NVS_KV_ADD = 2,       /* value appended to the key's values */
    NVS_KV_DELETE = 3,    /* key removed (in a batch: no error if absent) */
    NVS_KV_DELETE_AT = 4, /* key's value at `index` removed (ditto) */
};

/* One operation of a batch. */
struct nvs_kv_op {
    enum nvs_kv_kind kind;
    const void *key;
    size_t klen;
    const void *value; /* PUT, ADD */
    size_t vlen;
    unsigned index; /* DELETE_AT */
};

/* Open the store in [base, base + size) of the region, using slots[0..cap)
 * as its index; reads the active bank once (scan and recover). A fresh area
 * (no store yet) opens empty; nothing is written until the first change.
 * Returns NVS_OK; NVS_ERR_CORRUPT if damaged frames were found (the store is
 * open and usable nevertheless: kv->damaged says how many; the next
 * compaction drops them) or if both banks' headers are damaged (kv->broken:
 * nothing readable, writes fail until nvs_kv_wipe); NVS_ERR_NO_SPACE if the
 * store holds more values than cap (not open); NVS_ERR_ARG (NULL, cap 0,
 * size outside [AREA_MIN, AREA_MAX], base + size overflows); the errors of
 * nvs_read (INVAL: the area is not inside the region). On any other error
 * the struct stays closed: every other call returns NVS_ERR_ARG until an
 * open succeeds (so a store that could not be read is never written).
 * Blocks. */
int nvs_kv_open(struct nvs_kv *kv, uint64_t base, uint32_t size, struct nvs_kv_slot *slots,
                uint16_t cap);

/* Copy the key's value at `index` (0 = first) to buf, at most cap bytes;
 * *vlen = its full length (which may exceed cap: the copy is then cut, as
 * OpenThread's Get does). buf may be NULL when cap is 0. Reads one frame.
 * Errors: NOT_FOUND (no such key or index), CORRUPT (the frame fails its
 * CRC: damaged after open), KEY_TOO_LONG, ARG, and nvs_read's. Blocks. */
int nvs_kv_get(struct nvs_kv *kv, const void *key, size_t klen, unsigned index, void *buf,
               size_t cap, size_t *vlen);

/* Number of values the key holds (0 if absent: not an error). */
int nvs_kv_count(struct nvs_kv *kv, const void *key, size_t klen, unsigned *count);

/* Single-operation forms of nvs_kv_batch. put: the key's values become
 * [value] (insert or replace); add: appended; delete: the key and all its
 * values (NOT_FOUND if absent); delete_at: one value, later ones move down
 * (NOT_FOUND if absent). */
int nvs_kv_put(struct nvs_kv *kv, const void *key, size_t klen, const void *value, size_t vlen);
int nvs_kv_add(struct nvs_kv *kv, const void *key, size_t klen, const void *value, size_t vlen);
int nvs_kv_delete(struct nvs_kv *kv, const void *key, size_t klen);
int nvs_kv_delete_at(struct nvs_kv *kv, const void *key, size_t klen, unsigned index);

/* Apply ops[0..n) in order, all or nothing (also across a power cut).
 * Compacts first if the active bank lacks room. Errors: ARG (NULL, n 0,
 * bad kind, NULL key or value), KEY_TOO_LONG, VALUE_TOO_LONG, NO_SPACE (the
 * area even after compaction, or the index, cannot take it: nothing
 * changed), CORRUPT (kv->broken), and nvs_write's (after a failed write the
 * store is re-read from the chip: it shows all or none of the batch; if
 * that read fails too, the struct is closed, see nvs_kv_open). Blocks. */
int nvs_kv_batch(struct nvs_kv *kv, const struct nvs_kv_op *ops, unsigned n);

/* Iterate over the keys: start with *cursor = 0; each call copies the next
 * key (at most cap bytes; *klen = its length) and advances *cursor;
 * NOT_FOUND after the last. The order is the index's (by hash, ties by
 * first insertion): the same on every run for the same keys, not sorted.
 * A change to the store during an iteration may skip or repeat keys. */
int nvs_kv_next(struct nvs_kv *kv, unsigned *cursor, void *key, size_t cap, size_t *klen);

/* Remove every key (one bank header write; atomic). Also the way out of a
 * broken store. Blocks. */
int nvs_kv_wipe(struct nvs_kv *kv);

/* Copy the live values to the other bank now (otherwise done when a bank
 * fills up). Drops damaged frames. Blocks. */
int nvs_kv_compact(struct nvs_kv *kv);

/* Bytes a new frame could still take without compaction, and with it. */
uint32_t nvs_kv_free(const struct nvs_kv *kv);
uint32_t nvs_kv_free_after_compaction(const struct nvs_kv *kv);

#endif /* LIBNVSTORAGE_NVS_KV_H */
