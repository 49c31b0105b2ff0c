/*
 * grant: per-(driver, process) kernel state kept in the process's own RAM
 * block, out of its reach (above the MPU-accessible part).
 *
 * Each driver's grant holds, in order: its upcall slots, its read-only
 * allow slots, its read-write allow slots, then the capsule's own state.
 * It is allocated, zeroed, on the process's first subscribe/allow to that
 * driver or the capsule's first grant_get(); all of a process's grants go
 * away when it restarts or exits.
 */
#include "kernel/grant.h"

#include <stddef.h>

#include "kernel/hotpath.h"
#include "kernel/kernel.h"
#include "kernel/log.h"

static uint32_t grant_bytes(const struct driver *drv)
{
    return (uint32_t)drv->num_upcalls * sizeof(struct upcall_slot) +
           (uint32_t)(drv->num_allow_ro + drv->num_allow_rw) * sizeof(struct allow_buf) +
           drv->grant_size;
}

/* Driver number -> board table index, by open addressing: a number's
 * first slot is driver_hash(number); on a collision the next free slot. The
 * syscall fast path (switch.S) tries the first slot only and leaves any
 * miss to driver_index(). A free slot holds no_driver, never NULL, so the
 * fast path needs no NULL check: no_driver's number either differs from
 * the one asked for (the general path answers NODEVICE) or equals it, and
 * its command answers NODEVICE itself. */
struct kernel_fast kernel_fast;

static command_ret_t no_driver_command(const struct driver *drv, proc_id_t pid, uint32_t cmd,
                                       uint32_t arg1, uint32_t arg2)
{
    (void)drv, (void)pid, (void)cmd, (void)arg1, (void)arg2;
    return sys_failure(TOCK_ENODEVICE);
}

static const struct driver no_driver = {
    .number = UINT32_MAX,
    .command = no_driver_command,
};

static bool slot_free(unsigned h)
{
    return kernel_fast.driver_hash[h] == &no_driver;
}

_Static_assert(offsetof(struct kernel_fast, current_pid) == KFAST_OFF_PID, "kernel/hotpath.h");

_Static_assert(offsetof(struct kernel_config, drivers) == KCFG_OFF_DRIVERS, "kernel/hotpath.h");
_Static_assert(offsetof(struct driver, number) == DRIVER_OFF_NUMBER, "kernel/hotpath.h");
_Static_assert(offsetof(struct driver, command) == DRIVER_OFF_COMMAND, "kernel/hotpath.h");
_Static_assert(KERNEL_MAX_DRIVERS < DRIVER_HASH_SIZE, "the table always has a free slot");

void driver_table_build(const struct kernel_config *cfg)
{
    unsigned i;

    for (i = 0; i < DRIVER_HASH_SIZE; i++) {
        kernel_fast.driver_hash[i] = &no_driver;
        kernel_fast.driver_index[i] = UINT8_MAX; /* -1 to driver_index() */
    }
    for (i = 0; i < cfg->num_drivers && i < KERNEL_MAX_DRIVERS; i++) {
        unsigned h = driver_hash(cfg->drivers[i]->number);

        while (!slot_free(h))
            h = (h + 1) & DRIVER_HASH_MASK;
        kernel_fast.driver_hash[h] = cfg->drivers[i];
        kernel_fast.driver_index[h] = (uint8_t)i;
    }
}

int driver_index_slow(uint32_t number)
{
    unsigned h = driver_hash(number);

    /* The first slot missed (driver_index): probe on to the first free
     * slot; there is always one. */
    while (!slot_free(h)) {
        if (kernel_fast.driver_hash[h]->number == number)
            return kernel_fast.driver_index[h];
        h = (h + 1) & DRIVER_HASH_MASK;
    }
    return -1;
}

int driver_index_of_slow(const struct driver *drv)
{
    int d = driver_index(drv->number);

    return d >= 0 && kernel_cfg->drivers[d] == drv ? d : -1;
}

struct upcall_slot *grant_upcalls(struct process *p, unsigned d, bool alloc)
{
    const struct driver *drv = kernel_cfg->drivers[d];

    if (p->grants[d] == NULL && (!alloc || grant_alloc(p, d, grant_bytes(drv)) == NULL))
        return NULL;
    return (struct upcall_slot *)p->grants[d];
}

struct allow_buf *grant_allows(struct process *p, unsigned d, bool read_write, bool alloc)
{
    const struct driver *drv = kernel_cfg->drivers[d];
    struct upcall_slot *up = grant_upcalls(p, d, alloc);
    struct allow_buf *ro;

    if (up == NULL)
        return NULL;
    ro = (struct allow_buf *)(up + drv->num_upcalls);
    return read_write ? ro + drv->num_allow_ro : ro;
}

static void *capsule_state(struct process *p, const struct driver *drv, bool alloc)
{
    int d = driver_index_of(drv);
    struct allow_buf *rw;

    if (d < 0 || drv->grant_size == 0)
        return NULL;
    rw = grant_allows(p, (unsigned)d, true, alloc);
    return rw == NULL ? NULL : (void *)(rw + drv->num_allow_rw);
}

void *grant_get(const struct driver *drv, proc_id_t pid)
{
    struct process *p = proc_lookup(pid);

    return p == NULL ? NULL : capsule_state(p, drv, true);
}

void *grant_peek(const struct driver *drv, proc_id_t pid)
{
    struct process *p = proc_lookup(pid);

    return p == NULL ? NULL : capsule_state(p, drv, false);
}

static bool allow_get(const struct driver *drv, proc_id_t pid, uint32_t num, bool read_write,
                      struct allow_buf *out)
{
    struct process *p = proc_lookup(pid);
    int d = driver_index_of(drv);
    unsigned count = read_write ? drv->num_allow_rw : drv->num_allow_ro;
    struct allow_buf *slots;

    out->ptr = NULL;
    out->len = 0;
    if (p == NULL || d < 0)
        return false;
    if (num >= count)
        return true;
    slots = grant_allows(p, (unsigned)d, read_write, false);
    if (slots != NULL)
        *out = slots[num];
    return true;
}

bool allow_rw_get(const struct driver *drv, proc_id_t pid, uint32_t num, struct allow_buf *out)
{
    return allow_get(drv, pid, num, true, out);
}

bool allow_ro_get(const struct driver *drv, proc_id_t pid, uint32_t num, struct allow_buf *out)
{
    return allow_get(drv, pid, num, false, out);
}

bool proc_is_live(proc_id_t pid)
{
    return proc_lookup(pid) != NULL;
}

proc_id_t proc_next(unsigned *cursor)
{
    while (*cursor < proc_count) {
        struct process *p = &procs[(*cursor)++];

        if (proc_alive(p))
            return proc_id(p);
    }
    return PROC_ID_NONE;
}

const struct storage_perms *proc_storage_perms(proc_id_t pid)
{
    struct process *p = proc_lookup(pid);

    return p == NULL ? NULL : &p->storage;
}

const char *proc_name(proc_id_t pid)
{
    struct process *p = proc_lookup(pid);

    return p == NULL ? LOG_TEXT("?") : p->name;
}
