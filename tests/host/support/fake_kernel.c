/* fake_kernel: see fake_kernel.h. */
#include "tests/host/support/fake_kernel.h"

#include <string.h>

#define SLOT_MASK ((1u << FK_GEN_SHIFT) - 1u)

struct fk_grant {
    const struct driver *drv;
    uint32_t offset; /* into ram */
};

struct fk_proc {
    bool live;
    uint32_t gen;
    struct storage_perms perms;
    bool has_perms;
    uint32_t ram_limit;
    uint32_t ram_used;
    _Alignas(8) uint8_t ram[FK_RAM_SIZE];
    struct fk_grant grants[FK_MAX_GRANTS];
    unsigned num_grants;
    struct allow_buf rw[FK_MAX_ALLOWS];
    struct allow_buf ro[FK_MAX_ALLOWS];
};

static struct fk_proc procs[FK_MAX_PROCS];
static struct fk_upcall log_[FK_MAX_UPCALLS];
static size_t log_len;
static uint32_t dropped;
static uint32_t next_gen = 1;

static struct fk_proc *lookup(proc_id_t pid)
{
    uint32_t slot = pid & SLOT_MASK;

    if (pid == PROC_ID_NONE || slot >= FK_MAX_PROCS)
        return NULL;
    if (!procs[slot].live || procs[slot].gen != pid >> FK_GEN_SHIFT)
        return NULL;
    return &procs[slot];
}

void fk_reset(void)
{
    memset(procs, 0, sizeof(procs));
    log_len = 0;
    dropped = 0;
}

proc_id_t fk_spawn(unsigned slot, const struct storage_perms *perms)
{
    struct fk_proc *p = &procs[slot % FK_MAX_PROCS];

    memset(p, 0, sizeof(*p));
    p->live = true;
    p->gen = next_gen++;
    p->ram_limit = FK_RAM_SIZE;
    if (perms != NULL) {
        p->perms = *perms;
        p->has_perms = true;
    }
    return (p->gen << FK_GEN_SHIFT) | (slot % FK_MAX_PROCS);
}

void fk_kill(proc_id_t pid)
{
    struct fk_proc *p = lookup(pid);

    if (p != NULL)
        p->live = false;
}

proc_id_t fk_restart(proc_id_t pid)
{
    struct fk_proc *p = lookup(pid);
    struct storage_perms perms;
    bool had;

    if (p == NULL)
        return PROC_ID_NONE;
    perms = p->perms;
    had = p->has_perms;
    return fk_spawn(pid & SLOT_MASK, had ? &perms : NULL);
}

void fk_set_ram_limit(proc_id_t pid, uint32_t bytes)
{
    struct fk_proc *p = lookup(pid);

    if (p != NULL)
        p->ram_limit = bytes < FK_RAM_SIZE ? bytes : FK_RAM_SIZE;
}

void fk_allow_rw(proc_id_t pid, uint32_t num, uint8_t *ptr, uint32_t len)
{
    struct fk_proc *p = lookup(pid);

    if (p != NULL && num < FK_MAX_ALLOWS)
        p->rw[num] = (struct allow_buf){ptr, len};
}

void fk_allow_ro(proc_id_t pid, uint32_t num, const uint8_t *ptr, uint32_t len)
{
    struct fk_proc *p = lookup(pid);

    /* The kernel hands read-only buffers out through the same type. */
    if (p != NULL && num < FK_MAX_ALLOWS)
        p->ro[num] = (struct allow_buf){(uint8_t *)(uintptr_t)ptr, len};
}

struct storage_perms fk_perms_owner(uint32_t write_id)
{
    struct storage_perms s;

    memset(&s, 0, sizeof(s));
    s.has_write_id = true;
    s.write_id = write_id;
    s.num_read = 1;
    s.read_ids[0] = write_id;
    s.num_modify = 1;
    s.modify_ids[0] = write_id;
    return s;
}

static struct fk_grant *find_grant(struct fk_proc *p, const struct driver *drv)
{
    unsigned i;

    for (i = 0; i < p->num_grants; i++)
        if (p->grants[i].drv == drv)
            return &p->grants[i];
    return NULL;
}

void *grant_get(const struct driver *drv, proc_id_t pid)
{
    struct fk_proc *p = lookup(pid);
    struct fk_grant *g;
    uint32_t size;

    if (p == NULL)
        return NULL;
    g = find_grant(p, drv);
    if (g != NULL)
        return p->ram + g->offset;
    size = (drv->grant_size + 7u) & ~7u;
    if (p->num_grants == FK_MAX_GRANTS || size > p->ram_limit - p->ram_used)
        return NULL;
    g = &p->grants[p->num_grants++];
    g->drv = drv;
    g->offset = p->ram_used;
    p->ram_used += size;
    memset(p->ram + g->offset, 0, size);
    return p->ram + g->offset;
}

void *grant_peek(const struct driver *drv, proc_id_t pid)
{
    struct fk_proc *p = lookup(pid);
    struct fk_grant *g;

    if (p == NULL)
        return NULL;
    g = find_grant(p, drv);
    return g != NULL ? p->ram + g->offset : NULL;
}

static bool allow_get(const struct allow_buf *slots, proc_id_t pid, uint32_t num,
                      struct allow_buf *out)
{
    out->ptr = NULL;
    out->len = 0;
    if (lookup(pid) == NULL)
        return false;
    if (num < FK_MAX_ALLOWS)
        *out = slots[num];
    return true;
}

bool allow_rw_get(const struct driver *drv, proc_id_t pid, uint32_t num, struct allow_buf *out)
{
    struct fk_proc *p = lookup(pid);

    (void)drv;
    return allow_get(p != NULL ? p->rw : NULL, pid, num, out);
}

bool allow_ro_get(const struct driver *drv, proc_id_t pid, uint32_t num, struct allow_buf *out)
{
    struct fk_proc *p = lookup(pid);

    (void)drv;
    return allow_get(p != NULL ? p->ro : NULL, pid, num, out);
}

bool upcall_schedule(const struct driver *drv, proc_id_t pid, uint32_t num, uint32_t a0,
                     uint32_t a1, uint32_t a2)
{
    if (lookup(pid) == NULL || log_len == FK_MAX_UPCALLS || num >= drv->num_upcalls) {
        dropped++;
        return false;
    }
    log_[log_len++] = (struct fk_upcall){pid, drv->number, num, a0, a1, a2};
    return true;
}

bool proc_is_live(proc_id_t pid)
{
    return lookup(pid) != NULL;
}

proc_id_t proc_next(unsigned *cursor)
{
    while (*cursor < FK_MAX_PROCS) {
        unsigned slot = (*cursor)++;

        if (procs[slot].live)
            return (procs[slot].gen << FK_GEN_SHIFT) | slot;
    }
    return PROC_ID_NONE;
}

const struct storage_perms *proc_storage_perms(proc_id_t pid)
{
    struct fk_proc *p = lookup(pid);

    return p != NULL && p->has_perms ? &p->perms : NULL;
}

const char *proc_name(proc_id_t pid)
{
    return lookup(pid) != NULL ? "fake" : "?";
}

size_t fk_upcall_count(void)
{
    return log_len;
}

const struct fk_upcall *fk_upcall_at(size_t i)
{
    return i < log_len ? &log_[i] : NULL;
}

bool fk_upcall_take(proc_id_t pid, struct fk_upcall *out)
{
    size_t i;

    for (i = 0; i < log_len; i++) {
        if (log_[i].pid != pid)
            continue;
        *out = log_[i];
        memmove(&log_[i], &log_[i + 1], (log_len - i - 1) * sizeof(log_[0]));
        log_len--;
        return true;
    }
    return false;
}

uint32_t fk_upcalls_dropped(void)
{
    return dropped;
}
