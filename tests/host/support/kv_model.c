/* The key-value store model; see kv_model.h. */
#include <string.h>

#include "libnvstorage/nvs.h"
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

bool km_no_space(const struct km *m, const struct nvs_kv *kv, const struct nvs_kv_op *ops,
                 unsigned n)
{
    static struct km sim;
    uint32_t need = 0;
    uint32_t room = kv->size / 2 - 32u; /* a bank less its header */

    for (unsigned i = 0; i < n; i++) {
        size_t v = ops[i].kind == NVS_KV_DELETE      ? 0
                   : ops[i].kind == NVS_KV_DELETE_AT ? 2
                                                     : ops[i].vlen;
        need += NVS_KV_ENTRY_BYTES((uint32_t)ops[i].klen, (uint32_t)v);
    }
    if (!(kv->formatted && nvs_kv_free(kv) >= need) && room - live_of(m) < need)
        return true;
    /* The index, operation by operation. */
    sim = *m;
    for (unsigned i = 0; i < n; i++) {
        const struct km_key *k = find(&sim, ops[i].key, ops[i].klen);
        bool grows = ops[i].kind == NVS_KV_ADD || (ops[i].kind == NVS_KV_PUT && k == NULL);
        if (grows && slots_of(&sim) >= kv->cap)
            return true;
        km_apply(&sim, &ops[i], 1);
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
