/*
 * nvs_kv_index: the store's RAM index (internal to nvs_kv*.c).
 *
 * kv->slots[0..n) holds one slot per stored value, sorted by key hash; the
 * values of one key are adjacent, in list order, the first without and the
 * others with NVS_KV_SLOT_CONT (a "run"). Keys with the same hash keep the
 * order in which they were first inserted. Finding a key compares its
 * bytes with the stored frame's (one nvs_read per run with that hash).
 * Main-line code; blocks only in nvs_read.
 */
#ifndef LIBNVSTORAGE_NVS_KV_INDEX_H
#define LIBNVSTORAGE_NVS_KV_INDEX_H

#include "libnvstorage/nvs_kv.h"

/* First slot whose hash is >= hash. */
unsigned nvs_kv_idx_lower(const struct nvs_kv *kv, uint16_t hash);

/* Values in the run starting at slot i. */
unsigned nvs_kv_idx_run(const struct nvs_kv *kv, unsigned i);

/* The key's run: *start and *count (NVS_OK), or NVS_ERR_NOT_FOUND with
 * *start where a new key of that hash goes. */
int nvs_kv_idx_find(const struct nvs_kv *kv, const void *key, uint8_t klen, uint16_t hash,
                    unsigned *start, unsigned *count);

/* Apply one frame's operation (enum nvs_kv_fop, flags ignored) to the index
 * and to kv->live: the frame at area offset off, for key/klen, with a value
 * of vlen bytes (DELI: index = the value index it removes). NVS_OK, the
 * errors of nvs_read, or NVS_ERR_NO_SPACE (index full: nothing changed). */
int nvs_kv_idx_apply(struct nvs_kv *kv, unsigned type, const void *key, uint8_t klen, uint16_t vlen,
                     uint16_t off, unsigned index);

/* Remove slot i (fixing the run marks of a following value). */
void nvs_kv_idx_remove(struct nvs_kv *kv, unsigned i, uint8_t klen);

#endif /* LIBNVSTORAGE_NVS_KV_INDEX_H */
