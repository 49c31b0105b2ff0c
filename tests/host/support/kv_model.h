/*
 * kv_model: an in-memory model of libnvstorage's key-value store
 * (nvs_kv.h) for host tests and the fuzzer: the same operations on plain
 * arrays, a prediction of NVS_ERR_NO_SPACE, and a comparison of a model
 * with what a real store returns through its public calls.
 * Test code only; single-threaded; no cmocka (the fuzzer uses it too).
 */
#ifndef TESTS_HOST_SUPPORT_KV_MODEL_H
#define TESTS_HOST_SUPPORT_KV_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "libnvstorage/nvs_kv.h"

#define KM_KEYS 24  /* distinct keys a model holds */
#define KM_VALS 40  /* values per key (more than any test's index holds) */
#define KM_VMAX 400 /* value bytes */

struct km_key {
    uint8_t klen;
    uint8_t key[NVS_KV_KEY_MAX];
    uint8_t nv;
    uint16_t vlen[KM_VALS];
    uint8_t val[KM_VALS][KM_VMAX];
};

struct km {
    unsigned nkeys;
    struct km_key k[KM_KEYS];
};

void km_init(struct km *m);

/* Apply ops as nvs_kv_batch does when it succeeds. false if the model
 * cannot hold the result (more keys, values or bytes than it has room for). */
bool km_apply(struct km *m, const struct nvs_kv_op *ops, unsigned n);

/* Would nvs_kv_batch(kv, ops, n) answer NVS_ERR_NO_SPACE on a store holding
 * m? (Area: free bytes without and with compaction; index: slots.) */
bool km_no_space(const struct km *m, const struct nvs_kv *kv, const struct nvs_kv_op *ops,
                 unsigned n);

/* 0 if the store shows exactly m (every key's values by get and count,
 * and iteration gives each key once and no other); else a nonzero code
 * saying what differed (for the failure message). */
int km_compare(const struct km *m, struct nvs_kv *kv);

/* Load the model from a store (iteration, count, get). 0 or an nvs_err. */
int km_load(struct km *m, struct nvs_kv *kv);

/* Random operations over a small key space (keys of 1..16 bytes, among
 * them two with the same 16-bit hash), values of 0..vmax bytes. */
#define KM_GEN_KEYS 12
#define KM_GEN_OPS  6
struct km_gen {
    uint32_t rng;
    uint8_t klen[KM_GEN_KEYS];
    uint8_t key[KM_GEN_KEYS][16];
    uint8_t val[KM_GEN_OPS][KM_VMAX];
    struct nvs_kv_op ops[KM_GEN_OPS];
};

void km_gen_init(struct km_gen *g, uint32_t seed);
uint32_t km_rand(struct km_gen *g, uint32_t below);
/* Fill g->ops with 1..maxops (<= KM_GEN_OPS) random operations; returns n. */
unsigned km_gen_ops(struct km_gen *g, unsigned maxops, unsigned vmax);

#endif /* TESTS_HOST_SUPPORT_KV_MODEL_H */
