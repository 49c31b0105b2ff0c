/* nv_storage: see nv_storage.h and docs/nvstorage.md. */
#include "capsules/nv_storage.h"

#include <string.h>

#include "capsules/nv_region.h"
#include "kernel/log.h"

#define NVS_NUM_UPCALLS  3
#define NVS_NUM_ALLOW_RO 1
#define NVS_NUM_ALLOW_RW 1

static struct nvs_capsule *cap_of(const struct driver *drv)
{
    return drv->ctx;
}

const struct driver *nvs_driver(const struct nvs_capsule *c)
{
    return &c->drv;
}

uint32_t nvs_size_for(const struct nvs_capsule *c, uint32_t owner)
{
    size_t i;

    for (i = 0; i < c->num_overrides; i++)
        if (c->overrides[i].owner == owner)
            return c->overrides[i].size;
    return c->region_size;
}

static bool id_listed(const uint32_t *ids, uint16_t n, uint32_t id)
{
    uint16_t i;

    if (n > STORAGE_MAX_IDS)
        n = STORAGE_MAX_IDS;
    for (i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* A process's own region is the one owned by its write id; reading it needs
 * read permission for that id, writing it modify permission (Tock's model). */
static uint32_t check_perms(proc_id_t pid, uint8_t op)
{
    const struct storage_perms *perms = proc_storage_perms(pid);

    if (perms == NULL || !perms->has_write_id)
        return TOCK_ENOSUPPORT;
    if (op == NVS_OP_READ && !id_listed(perms->read_ids, perms->num_read, perms->write_id))
        return TOCK_ENOSUPPORT;
    if (op == NVS_OP_WRITE && !id_listed(perms->modify_ids, perms->num_modify, perms->write_id))
        return TOCK_ENOSUPPORT;
    return TOCK_SUCCESS;
}

static uint8_t op_of_command(uint32_t cmd)
{
    switch (cmd) {
    case NVS_CMD_GET_SIZE:
        return NVS_OP_GET_SIZE;
    case NVS_CMD_READ:
        return NVS_OP_READ;
    case NVS_CMD_WRITE:
        return NVS_OP_WRITE;
    default:
        return NVS_OP_NONE;
    }
}

static uint32_t upcall_of_op(uint8_t op)
{
    if (op == NVS_OP_READ)
        return NVS_UPCALL_READ;
    if (op == NVS_OP_WRITE)
        return NVS_UPCALL_WRITE;
    return NVS_UPCALL_GET_SIZE;
}

/* Permission and BUSY errors are synchronous (the spec's command failures);
 * everything that needs the region or the device comes through the upcall. */
static command_ret_t nvs_command(const struct driver *drv, proc_id_t pid, uint32_t cmd,
                                 uint32_t arg1, uint32_t arg2)
{
    struct nvs_capsule *c = cap_of(drv);
    uint8_t op = op_of_command(cmd);
    struct nvs_grant *g;
    uint32_t err;

    if (op == NVS_OP_NONE)
        return sys_failure(TOCK_ENOSUPPORT);
    err = check_perms(pid, op);
    if (err != TOCK_SUCCESS)
        return sys_failure(err);
    g = grant_get(drv, pid);
    if (g == NULL)
        return sys_failure(TOCK_ENOMEM); /* nowhere to record the request */
    if (g->op != NVS_OP_NONE)
        return sys_failure(TOCK_EBUSY);
    g->op = op;
    g->offset = op == NVS_OP_GET_SIZE ? 0 : arg1;
    g->offset_too_big = op != NVS_OP_GET_SIZE && arg2 != 0;
    g->seq = c->next_seq++;
    deferred_schedule(&c->kick);
    return sys_success();
}

/* End the request being served: report to the process if it still exists,
 * free its request slot, and let the next request start. */
static void finish(struct nvs_capsule *c, uint32_t status, uint32_t len)
{
    struct nvs_grant *g = grant_peek(&c->drv, c->cur);

    if (g != NULL) {
        g->op = NVS_OP_NONE;
        (void)upcall_schedule(&c->drv, c->cur, upcall_of_op(c->cur_op), status, len, 0);
    }
    c->phase = NVS_IDLE;
    c->cur = PROC_ID_NONE;
    c->cur_op = NVS_OP_NONE;
    c->app_ptr = NULL;
    c->app_len = 0;
    deferred_schedule(&c->kick);
}

static void dev_read(struct nvs_capsule *c, enum nvs_phase phase, uint32_t addr, uint32_t len)
{
    c->phase = phase;
    c->chunk = len;
    if (nvram_read(c->dev, c->bounce, addr, len) != NVRAM_OK)
        finish(c, TOCK_EFAIL, c->done);
}

static void dev_write(struct nvs_capsule *c, enum nvs_phase phase, uint32_t addr, uint32_t len)
{
    c->phase = phase;
    c->chunk = len;
    if (nvram_write(c->dev, c->bounce, addr, len) != NVRAM_OK)
        finish(c, TOCK_EFAIL, c->done);
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

/* Fetch the transfer's allow buffer again. Returns 0 if it is still the one
 * the transfer started with; otherwise ends the request and returns 1. */
static int refetch(struct nvs_capsule *c, struct allow_buf *b)
{
    bool live = c->cur_op == NVS_OP_READ ? allow_rw_get(&c->drv, c->cur, NVS_ALLOW_RW_READ, b)
                                         : allow_ro_get(&c->drv, c->cur, NVS_ALLOW_RO_WRITE, b);

    if (!live) {
        finish(c, TOCK_EFAIL, c->done); /* process gone: nobody to tell */
        return 1;
    }
    if (b->ptr != c->app_ptr || b->len != c->app_len) {
        finish(c, TOCK_ECANCEL, c->done);
        return 1;
    }
    return 0;
}

static void read_chunk(struct nvs_capsule *c)
{
    dev_read(c, NVS_XFER_READ, c->xfer_addr + c->done,
             min_u32(c->xfer_len - c->done, NVS_BOUNCE_SIZE));
}

static void write_chunk(struct nvs_capsule *c)
{
    struct allow_buf b;
    uint32_t n = min_u32(c->xfer_len - c->done, NVS_BOUNCE_SIZE);

    if (refetch(c, &b))
        return;
    memcpy(c->bounce, b.ptr + c->done, n);
    dev_write(c, NVS_XFER_WRITE, c->xfer_addr + c->done, n);
}

/* The region is known: check the request against it and start the work. */
static void run_op(struct nvs_capsule *c)
{
    struct allow_buf b;
    bool live;

    if (c->cur_op == NVS_OP_GET_SIZE) {
        finish(c, TOCK_SUCCESS, c->reg_len);
        return;
    }
    live = c->cur_op == NVS_OP_READ ? allow_rw_get(&c->drv, c->cur, NVS_ALLOW_RW_READ, &b)
                                    : allow_ro_get(&c->drv, c->cur, NVS_ALLOW_RO_WRITE, &b);
    if (!live) {
        finish(c, TOCK_EFAIL, 0);
        return;
    }
    if (b.ptr == NULL || b.len == 0) {
        finish(c, TOCK_ERESERVE, 0);
        return;
    }
    /* Overflow-safe: offset <= len first, then the room left. */
    if (c->offset_too_big || c->offset > c->reg_len || b.len > c->reg_len - c->offset) {
        finish(c, TOCK_EINVAL, 0);
        return;
    }
    c->app_ptr = b.ptr;
    c->app_len = b.len;
    c->xfer_addr = c->reg_data + c->offset;
    c->xfer_len = b.len;
    c->done = 0;
    if (c->cur_op == NVS_OP_READ)
        read_chunk(c);
    else
        write_chunk(c);
}

static void region_found(struct nvs_capsule *c, uint32_t data, uint32_t len)
{
    struct nvs_grant *g = grant_peek(&c->drv, c->cur);

    if (g != NULL) {
        g->has_region = true;
        g->region_data = data;
        g->region_len = len;
    }
    c->reg_data = data;
    c->reg_len = len;
    run_op(c);
}

static void walk_next(struct nvs_capsule *c)
{
    if (!nvr_slot_fits(c->cursor, c->area_end)) {
        finish(c, TOCK_ENOMEM, 0); /* the chain fills the area */
        return;
    }
    dev_read(c, NVS_WALK, c->cursor, NVR_SLOT_SIZE);
}

static void clear_next(struct nvs_capsule *c)
{
    uint32_t n;

    if (c->cursor >= c->clear_end) {
        /* Everything the new region exposes is zero: now make it live. */
        nvr_encode(c->bounce, c->owner, c->alloc_len);
        dev_write(c, NVS_COMMIT, c->slot, NVR_HDR_SIZE);
        return;
    }
    n = min_u32(c->clear_end - c->cursor, NVS_BOUNCE_SIZE);
    memset(c->bounce, NVR_CLEAR_BYTE, n);
    dev_write(c, NVS_CLEAR, c->cursor, n);
}

static void walk_done(struct nvs_capsule *c)
{
    struct nvr_slot s;

    nvr_classify(c->bounce, c->cursor, c->area_end, &s);
    switch (s.kind) {
    case NVR_SLOT_LIVE:
        if (s.hdr.owner == c->owner) {
            region_found(c, s.data_addr, s.hdr.length);
        } else {
            c->cursor = s.next_addr;
            walk_next(c);
        }
        return;
    case NVR_SLOT_FREE:
        c->alloc_len = nvs_size_for(c, c->owner);
        if (!nvr_region_fits(c->cursor, c->alloc_len, c->area_end)) {
            finish(c, TOCK_ENOMEM, 0);
            return;
        }
        c->slot = c->cursor;
        c->clear_end = nvr_clear_end(c->slot, c->alloc_len, c->area_end);
        c->cursor = c->slot + NVR_HDR_SIZE;
        clear_next(c);
        return;
    case NVR_SLOT_CORRUPT:
    default:
        log_warn("nvstorage: unreadable header at 0x%lx; no allocation past it",
                 (unsigned long)c->cursor);
        finish(c, TOCK_ENOMEM, 0);
        return;
    }
}

/* Device completion: advance the request being served. */
static void nvs_dev_done(void *ctx, enum nvram_status status, size_t count)
{
    struct nvs_capsule *c = ctx;
    struct allow_buf b;
    bool ok = status == NVRAM_OK && count == c->chunk;

    switch (c->phase) {
    case NVS_WALK:
        if (ok)
            walk_done(c);
        else
            finish(c, TOCK_EFAIL, 0);
        return;
    case NVS_CLEAR:
        if (!ok) {
            finish(c, TOCK_EFAIL, 0);
            return;
        }
        c->cursor += c->chunk;
        clear_next(c);
        return;
    case NVS_COMMIT:
        if (!ok) {
            finish(c, TOCK_EFAIL, 0); /* the next request walks again */
            return;
        }
        nvr_encode(c->bounce, c->owner, c->alloc_len);
        dev_write(c, NVS_MIRROR, c->slot + NVR_HDR_SIZE, NVR_HDR_SIZE);
        return;
    case NVS_MIRROR:
        /* The primary copy already made the region live; a failed mirror is
         * rewritten by the next boot scan. */
        if (!ok)
            log_warn("nvstorage: secondary header at 0x%lx not written",
                     (unsigned long)(c->slot + NVR_HDR_SIZE));
        log_info("nvstorage: region for owner 0x%lx at 0x%lx, %lu bytes", (unsigned long)c->owner,
                 (unsigned long)c->slot, (unsigned long)c->alloc_len);
        region_found(c, c->slot + NVR_SLOT_SIZE, c->alloc_len);
        return;
    case NVS_XFER_READ:
        if (!ok) {
            finish(c, TOCK_EFAIL, c->done);
            return;
        }
        if (refetch(c, &b))
            return;
        memcpy(b.ptr + c->done, c->bounce, c->chunk);
        c->done += c->chunk;
        if (c->done == c->xfer_len)
            finish(c, TOCK_SUCCESS, c->done);
        else
            read_chunk(c);
        return;
    case NVS_XFER_WRITE:
        if (!ok) {
            c->done += min_u32((uint32_t)count, c->chunk); /* known on the medium */
            finish(c, TOCK_EFAIL, c->done);
            return;
        }
        c->done += c->chunk;
        if (c->done == c->xfer_len)
            finish(c, TOCK_SUCCESS, c->done);
        else
            write_chunk(c);
        return;
    case NVS_IDLE:
    default:
        return; /* nothing in flight: ignore */
    }
}

/* Start serving the request of pid. */
static void serve(struct nvs_capsule *c, proc_id_t pid, const struct nvs_grant *g)
{
    const struct storage_perms *perms = proc_storage_perms(pid);

    c->cur = pid;
    c->cur_op = g->op;
    c->offset = g->offset;
    c->offset_too_big = g->offset_too_big;
    c->done = 0;
    if (!c->usable || perms == NULL) {
        finish(c, TOCK_EFAIL, 0);
        return;
    }
    if (g->has_region) {
        c->reg_data = g->region_data;
        c->reg_len = g->region_len;
        run_op(c);
        return;
    }
    c->owner = perms->write_id;
    c->cursor = c->area_start;
    walk_next(c);
}

/* Deferred: when idle, serve the oldest pending request. Arrival order is
 * the sequence number each grant got; ages are compared modulo 2^32. */
static void nvs_kick(void *ctx)
{
    struct nvs_capsule *c = ctx;
    unsigned cursor = 0;
    proc_id_t pid, best = PROC_ID_NONE;
    struct nvs_grant *g, *best_g = NULL;
    uint32_t age, best_age = 0;

    if (c->phase != NVS_IDLE)
        return;
    while ((pid = proc_next(&cursor)) != PROC_ID_NONE) {
        g = grant_peek(&c->drv, pid);
        if (g == NULL || g->op == NVS_OP_NONE)
            continue;
        age = c->next_seq - g->seq;
        if (best_g == NULL || age > best_age) {
            best = pid;
            best_g = g;
            best_age = age;
        }
    }
    if (best_g != NULL)
        serve(c, best, best_g);
}

static void write_header_blocking(struct nvs_capsule *c, uint32_t addr, const struct nvr_slot *s)
{
    uint8_t hdr[NVR_HDR_SIZE];

    nvr_encode(hdr, s->hdr.owner, s->hdr.length);
    if (nvram_write_blocking(c->dev, hdr, addr, NVR_HDR_SIZE, NULL) == NVRAM_OK)
        c->boot.repaired++;
    else
        c->boot.device_error = true;
}

/* Boot: follow the chain once, rewrite a damaged copy of any header whose
 * other copy is good (so one more fault cannot lose it), and log the table. */
static void boot_scan(struct nvs_capsule *c)
{
    uint32_t addr = c->area_start;
    struct nvr_slot s;

    while (nvr_slot_fits(addr, c->area_end)) {
        if (nvram_read_blocking(c->dev, c->bounce, addr, NVR_SLOT_SIZE, NULL) != NVRAM_OK) {
            c->boot.device_error = true;
            break;
        }
        nvr_classify(c->bounce, addr, c->area_end, &s);
        if (s.kind == NVR_SLOT_CORRUPT) {
            c->boot.corrupt = true;
            log_warn("nvstorage: unreadable header at 0x%lx; no allocation past it",
                     (unsigned long)addr);
            break;
        }
        if (s.kind == NVR_SLOT_FREE)
            break;
        c->boot.regions++;
        if (s.repair_primary)
            write_header_blocking(c, addr, &s);
        if (s.repair_secondary)
            write_header_blocking(c, addr + NVR_HDR_SIZE, &s);
        addr = s.next_addr;
    }
    c->boot.end_addr = addr;
    if (c->boot.device_error)
        log_warn("nvstorage: device error while scanning at 0x%lx", (unsigned long)addr);
    log_info("nvstorage: %lu regions, table ends at 0x%lx, %lu header copies repaired",
             (unsigned long)c->boot.regions, (unsigned long)addr, (unsigned long)c->boot.repaired);
}

void nvs_init(struct nvs_capsule *c, const struct nvs_config *cfg)
{
    /* The deferred list links through c->kick: keep the link across the
     * reset, then register again, which deferred.c turns into a reset of
     * the call in place (a simulated reboot in tests re-inits c). */
    struct deferred_call keep = c->kick;

    memset(c, 0, sizeof(*c));
    c->kick = keep;
    c->drv.number = DRIVER_NVSTORAGE;
    c->drv.name = "nvstorage";
    c->drv.num_upcalls = NVS_NUM_UPCALLS;
    c->drv.num_allow_ro = NVS_NUM_ALLOW_RO;
    c->drv.num_allow_rw = NVS_NUM_ALLOW_RW;
    c->drv.grant_size = sizeof(struct nvs_grant);
    c->drv.command = nvs_command;
    c->drv.ctx = c;
    c->dev = cfg->dev;
    c->area_start = cfg->area_start;
    c->area_end = cfg->area_start + cfg->area_len;
    c->region_size = cfg->region_size;
    c->overrides = cfg->overrides;
    c->num_overrides = cfg->overrides != NULL ? cfg->num_overrides : 0;
    c->phase = NVS_IDLE;
    deferred_register(&c->kick, nvs_kick, c);

    c->usable = c->dev != NULL && nvram_size(c->dev) > 0 && c->region_size > 0 &&
                nvram_range_ok(c->dev, cfg->area_start, cfg->area_len);
    if (!c->usable) {
        log_warn("nvstorage: no usable FRAM area; every request will fail");
        return;
    }
    nvram_set_client(c->dev, nvs_dev_done, c);
    boot_scan(c);
}
