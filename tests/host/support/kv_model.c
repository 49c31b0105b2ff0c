/* The key-value store model; see kv_model.h. */
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kv_format.h"
#include "tests/host/support/kv_model.h"

void km_init(struct km *m)
{
    memset(m, 0, sizeof(*m));
}

static struct km_key *find(struct km *m, const void *key, size_t klen)
{
    for (unsigned i = 0; i < m->nkeys; i++)
        if (m->k[i].klen == klen && memcmp(m->k[i].key, key, klen) == 0)
            return &m->k[i];
    return NULL;
}

static void drop_key(struct km *m, struct km_key *k)
{
    *k = m->k[--m->nkeys];
}

static bool add_value(struct km *m, const struct nvs_kv_op *op, bool replace)
{
    struct km_key *k = find(m, op->key, op->klen);

    if (op->vlen > KM_VMAX)
        return false;
    if (k == NULL) {
        if (m->nkeys == KM_KEYS)
            return false;
        k = &m->k[m->nkeys++];
        k->klen = (uint8_t)op->klen;
        memcpy(k->key, op->key, op->klen);
        k->nv = 0;
    }
    if (replace)
        k->nv = 0;
    if (k->nv == KM_VALS)
        return false;
    k->vlen[k->nv] = (uint16_t)op->vlen;
    if (op->vlen > 0)
        memcpy(k->val[k->nv], op->value, op->vlen);
    k->nv++;
    return true;
}

bool km_apply(struct km *m, const struct nvs_kv_op *ops, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        const struct nvs_kv_op *op = &ops[i];
        struct km_key *k = find(m, op->key, op->klen);
        switch (op->kind) {
        case NVS_KV_PUT:
        case NVS_KV_ADD:
            if (!add_value(m, op, op->kind == NVS_KV_PUT))
                return false;
            break;
        case NVS_KV_DELETE:
            if (k != NULL)
                drop_key(m, k);
            break;
        case NVS_KV_DELETE_AT:
            if (k != NULL && op->index < k->nv) {
                for (unsigned j = op->index; j + 1u < k->nv; j++) {
                    k->vlen[j] = k->vlen[j + 1];
                    memcpy(k->val[j], k->val[j + 1], KM_VMAX);
                }
                if (--k->nv == 0)
                    drop_key(m, k);
            }
            break;
        }
    }
    return true;
}

static unsigned slots_of(const struct km *m)
{
    unsigned n = 0;

    for (unsigned i = 0; i < m->nkeys; i++)
        n += m->k[i].nv;
    return n;
}

static uint32_t live_of(const struct km *m)
{
    uint32_t live = 0;

    for (unsigned i = 0; i < m->nkeys; i++)
        for (unsigned j = 0; j < m->k[i].nv; j++)
            live += NVS_KV_ENTRY_BYTES(m->k[i].klen, m->k[i].vlen[j]);
    return live;
}

/* Values key holds while a batch is simulated: the model's, changed by
 * the batch's earlier operations (tracked in touched[]). */
struct touched {
    const void *key;
    size_t klen;
    unsigned nv;
};

static struct touched *touch(const struct km *m, struct touched *t, unsigned *nt,
                             const struct nvs_kv_op *op)
{
    struct km_key *k;

    for (unsigned i = 0; i < *nt; i++)
        if (t[i].klen == op->klen && memcmp(t[i].key, op->key, op->klen) == 0)
            return &t[i];
    k = find((struct km *)m, op->key, op->klen);
    t[*nt] = (struct touched){.key = op->key, .klen = op->klen, .nv = k ? k->nv : 0};
    return &t[(*nt)++];
}

bool km_no_space(const struct km *m, const struct nvs_kv *kv, const struct nvs_kv_op *ops,
                 unsigned n)
{
    struct touched t[KM_GEN_OPS * 4];
    unsigned nt = 0, slots = slots_of(m);
    uint32_t need = 0;
    uint32_t room = kv->size / 2 - NVS_KV_BANK_HDR;

    for (unsigned i = 0; i < n; i++) {
        size_t v = ops[i].kind == NVS_KV_DELETE      ? 0
                   : ops[i].kind == NVS_KV_DELETE_AT ? 2
                                                     : ops[i].vlen;
        need += NVS_KV_ENTRY_BYTES((uint32_t)ops[i].klen, (uint32_t)v);
    }
    if (!(kv->formatted && nvs_kv_free(kv) >= need) && room - live_of(m) < need)
        return true;
    /* The index, operation by operation. */
    for (unsigned i = 0; i < n && i < KM_GEN_OPS * 4; i++) {
        struct touched *k = touch(m, t, &nt, &ops[i]);
        switch (ops[i].kind) {
        case NVS_KV_PUT:
            if (k->nv == 0 && slots >= kv->cap)
                return true;
            slots = slots + 1 - k->nv;
            k->nv = 1;
            break;
        case NVS_KV_ADD:
            if (slots >= kv->cap)
                return true;
            slots++;
            k->nv++;
            break;
        case NVS_KV_DELETE:
            slots -= k->nv;
            k->nv = 0;
            break;
        case NVS_KV_DELETE_AT:
            if (ops[i].index < k->nv) {
                slots--;
                k->nv--;
            }
            break;
        }
    }
    return false;
}

int km_compare(const struct km *m, struct nvs_kv *kv)
{
    static uint8_t buf[NVS_KV_VALUE_MAX];
    uint8_t key[NVS_KV_KEY_MAX];
    unsigned cursor = 0, seen = 0;
    size_t klen, vlen;
    int err;

    for (unsigned i = 0; i < m->nkeys; i++) {
        const struct km_key *k = &m->k[i];
        unsigned count = 0;
        if (nvs_kv_count(kv, k->key, k->klen, &count) != NVS_OK || count != k->nv)
            return 1;
        for (unsigned j = 0; j < k->nv; j++) {
            err = nvs_kv_get(kv, k->key, k->klen, j, buf, sizeof(buf), &vlen);
            if (err != NVS_OK || vlen != k->vlen[j] || memcmp(buf, k->val[j], vlen) != 0)
                return 2;
        }
        if (nvs_kv_get(kv, k->key, k->klen, k->nv, buf, sizeof(buf), &vlen) != NVS_ERR_NOT_FOUND)
            return 3;
    }
    while ((err = nvs_kv_next(kv, &cursor, key, sizeof(key), &klen)) == NVS_OK) {
        if (find((struct km *)m, key, klen) == NULL)
            return 4; /* a key the model does not have */
        seen++;
    }
    if (err != NVS_ERR_NOT_FOUND || seen != m->nkeys)
        return 5;
    return slots_of(m) == kv->n ? 0 : 6;
}

int km_load(struct km *m, struct nvs_kv *kv)
{
    static uint8_t buf[NVS_KV_VALUE_MAX];
    uint8_t key[NVS_KV_KEY_MAX];
    unsigned cursor = 0;
    size_t klen, vlen;
    int err;

    km_init(m);
    while ((err = nvs_kv_next(kv, &cursor, key, sizeof(key), &klen)) == NVS_OK) {
        unsigned count = 0;
        err = nvs_kv_count(kv, key, klen, &count);
        for (unsigned j = 0; err == NVS_OK && j < count; j++) {
            struct nvs_kv_op op = {.kind = NVS_KV_ADD, .key = key, .klen = klen, .value = buf};
            err = nvs_kv_get(kv, key, klen, j, buf, sizeof(buf), &vlen);
            op.vlen = vlen;
            if (err == NVS_OK && !km_apply(m, &op, 1))
                err = NVS_ERR_NO_SPACE;
        }
        if (err != NVS_OK)
            return err;
    }
    return err == NVS_ERR_NOT_FOUND ? NVS_OK : err;
}

uint32_t km_rand(struct km_gen *g, uint32_t below)
{
    /* xorshift32: deterministic for a seed, good enough to pick operations. */
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 17;
    g->rng ^= g->rng << 5;
    return below ? g->rng % below : 0;
}

void km_gen_init(struct km_gen *g, uint32_t seed)
{
    memset(g, 0, sizeof(*g));
    g->rng = seed * 2654435761u + 1u;
    for (unsigned i = 0; i < KM_GEN_KEYS; i++) {
        g->klen[i] = (uint8_t)(1 + km_rand(g, 16));
        for (unsigned j = 0; j < g->klen[i]; j++)
            g->key[i][j] = (uint8_t)('a' + km_rand(g, 26));
        g->key[i][0] = (uint8_t)('A' + i); /* distinct */
    }
    /* Keys 0 and 1: two 2-byte keys with the same hash (searched once). */
    static uint8_t pair[2][2];
    static bool found;
    for (unsigned a = 0x4100; !found && a < 0x4200; a++) {
        uint8_t ka[2] = {(uint8_t)a, (uint8_t)(a >> 8)};
        uint16_t h = nvs_kv_hash(ka, 2);
        for (unsigned b = a + 1; !found && b < 0x10000; b++) {
            uint8_t kb[2] = {(uint8_t)b, (uint8_t)(b >> 8)};
            if (nvs_kv_hash(kb, 2) == h) {
                memcpy(pair[0], ka, 2);
                memcpy(pair[1], kb, 2);
                found = true;
            }
        }
    }
    g->klen[0] = g->klen[1] = 2;
    memcpy(g->key[0], pair[0], 2);
    memcpy(g->key[1], pair[1], 2);
}

unsigned km_gen_ops(struct km_gen *g, unsigned maxops, unsigned vmax)
{
    unsigned n = km_rand(g, 4) == 0 ? 1 + km_rand(g, maxops) : 1;

    for (unsigned i = 0; i < n; i++) {
        struct nvs_kv_op *op = &g->ops[i];
        unsigned k = km_rand(g, KM_GEN_KEYS);
        unsigned r = km_rand(g, 10);
        memset(op, 0, sizeof(*op));
        op->key = g->key[k];
        op->klen = g->klen[k];
        op->kind = r < 5   ? NVS_KV_PUT
                   : r < 7 ? NVS_KV_ADD
                   : r < 9 ? NVS_KV_DELETE
                           : NVS_KV_DELETE_AT;
        op->vlen = km_rand(g, vmax + 1);
        for (unsigned j = 0; j < op->vlen; j++)
            g->val[i][j] = (uint8_t)km_rand(g, 256);
        op->value = g->val[i];
        op->index = km_rand(g, 3);
    }
    return n;
}
