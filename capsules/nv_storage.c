/* nv_storage: see nv_storage.h and docs/nvstorage.md. */
#include "capsules/nv_storage.h"

#include <string.h>

#include "kernel/log.h"

#define NVS_NUM_UPCALLS  3
#define NVS_NUM_ALLOW_RO 1
#define NVS_NUM_ALLOW_RW 1
#define KEY_SHIFT        16
#define KEY_MASK         0xFFFFu
#define KEY_NONE         0u /* index entry: no region known at that position */
#define KEY_ZERO_ALIAS   1u /* where an owner whose key would be KEY_NONE goes */
#define COMMIT_STEPS     4u /* region primary, region secondary, END primary, secondary */
#define COMMIT_LIVE      1u /* steps done when the region is live */

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

/* A request is still waiting if its process lives and its grant says so. */
static bool waiting(const struct nvs_capsule *c, proc_id_t pid)
{
    const struct nvs_grant *g = grant_peek(&c->drv, pid);

    return g != NULL && g->op != NVS_OP_NONE && pid != c->cur;
}

/* Append pid to the queue. When the queue is full, first drop the ids of
 * processes that died or restarted while waiting (their requests vanished
 * with their grants); false if it is still full. */
static bool enqueue(struct nvs_capsule *c, proc_id_t pid)
{
    uint8_t i, kept = 0;

    if (c->q_len == NVS_QUEUE_MAX) {
        for (i = 0; i < c->q_len; i++) {
            proc_id_t p = c->queue[(c->q_head + i) % NVS_QUEUE_MAX];

            if (waiting(c, p))
                c->queue[(c->q_head + kept++) % NVS_QUEUE_MAX] = p;
        }
        c->q_len = kept;
        if (c->q_len == NVS_QUEUE_MAX)
            return false;
    }
    c->queue[(c->q_head + c->q_len) % NVS_QUEUE_MAX] = pid;
    c->q_len++;
    return true;
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
    if (g->op != NVS_OP_NONE || !enqueue(c, pid))
        return sys_failure(TOCK_EBUSY);
    g->op = op;
    g->offset = op == NVS_OP_GET_SIZE ? 0 : arg1;
    g->offset_too_big = op != NVS_OP_GET_SIZE && arg2 != 0;
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
    dev_read(c, NVS_XFER_READ, c->reg_data + c->offset + c->done,
             min_u32(c->app_len - c->done, NVS_BOUNCE_SIZE));
}

static void write_chunk(struct nvs_capsule *c)
{
    struct allow_buf b;
    uint32_t n = min_u32(c->app_len - c->done, NVS_BOUNCE_SIZE);

    if (refetch(c, &b))
        return;
    memcpy(c->bounce, b.ptr + c->done, n);
    dev_write(c, NVS_XFER_WRITE, c->reg_data + c->offset + c->done, n);
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

/* The index key of an owner: 16 bits of it, never KEY_NONE. A match is a
 * candidate only; the record read from the FRAM decides. */
static uint16_t owner_key(uint32_t owner)
{
    uint16_t k = (uint16_t)((owner ^ (owner >> KEY_SHIFT)) & KEY_MASK);

    return k == KEY_NONE ? KEY_ZERO_ALIAS : k;
}

static void index_set(struct nvs_capsule *c, uint32_t pos, uint32_t owner)
{
    if (pos < NVS_INDEX_MAX)
        c->index[pos] = owner_key(owner);
}

/* The next position at or after `from` that may hold owner's region: an
 * index match, or any position past the index. end_pos if none. */
static uint32_t next_candidate(const struct nvs_capsule *c, uint32_t from)
{
    uint16_t key = owner_key(c->owner);
    uint32_t i;

    for (i = from; i < c->end_pos; i++)
        if (i >= NVS_INDEX_MAX || c->index[i] == key)
            return i;
    return c->end_pos;
}

static void record_write(struct nvs_capsule *c, uint32_t pos, int copy,
                         const struct nvr_record *rec)
{
    nvr_encode(c->bounce, rec);
    dev_write(c, NVS_COMMIT, nvr_pos_addr(&c->area, pos) + (uint32_t)copy * NVR_REC_SIZE,
              NVR_REC_SIZE);
}

/* Allocation, last part: the region's record over the old END (primary,
 * then secondary), then the new END at end_pos + 1 (both copies). The
 * region is live once its primary copy is whole; by then its data is zero
 * and the position after the new END is cleared, so a cut before the new
 * END is written leaves two invalid positions after the region: the next
 * boot reads that as a lost END and rewrites it. */
static void commit_next(struct nvs_capsule *c)
{
    struct nvr_record reg = {NVR_KIND_REGION, c->owner, c->low - c->alloc_len, c->alloc_len};
    struct nvr_record end = {NVR_KIND_END, 0, c->low - c->alloc_len, c->end_pos + 1u};
    uint8_t step = c->step++;

    if (step < COMMIT_STEPS / 2)
        record_write(c, c->end_pos, step, &reg);
    else
        record_write(c, c->end_pos + 1u, step - COMMIT_STEPS / 2, &end);
}

static void clear_next(struct nvs_capsule *c)
{
    uint32_t n;

    if (c->cursor >= c->clear_end) {
        if (c->phase == NVS_CLEAR) {
            /* Data zeroed: now the position after the new END. */
            c->cursor = nvr_pos_addr(&c->area, c->end_pos + NVR_SPARE_POSITIONS);
            c->clear_end = c->cursor + NVR_POS_SIZE;
            c->phase = NVS_CLEAR_POS;
        } else {
            c->step = 0;
            commit_next(c);
            return;
        }
    }
    n = min_u32(c->clear_end - c->cursor, NVS_BOUNCE_SIZE);
    memset(c->bounce, NVR_CLEAR_BYTE, n);
    dev_write(c, c->phase, c->cursor, n);
}

/* Room left for one more region at the END's position, in data bytes. */
static uint32_t room_left(const struct nvs_capsule *c)
{
    uint32_t need = nvr_pos_addr(&c->area, c->end_pos + 1u + NVR_SPARE_POSITIONS);

    if (!nvr_pos_fits(&c->area, c->end_pos + NVR_SPARE_POSITIONS) || c->low < need)
        return 0;
    return c->low - need;
}

/* The owner has no region: make one, or refuse with NOMEM (logged once per
 * process, with the space left). Costs no FRAM read. */
static void allocate(struct nvs_capsule *c)
{
    struct nvs_grant *g = grant_peek(&c->drv, c->cur);

    c->alloc_len = nvs_size_for(c, c->owner);
    if (c->boot.corrupt || !nvr_alloc_fits(&c->area, c->end_pos, c->low, c->alloc_len)) {
        if (g != NULL && !g->nomem_logged) {
            g->nomem_logged = true;
            log_warn("nvstorage: no room for owner 0x%lx: %lu asked, %lu left%s",
                     (unsigned long)c->owner, (unsigned long)c->alloc_len,
                     (unsigned long)(c->boot.corrupt ? 0 : room_left(c)),
                     c->boot.corrupt ? LOG_TEXT(" (table refused)") : LOG_TEXT(""));
        }
        finish(c, TOCK_ENOMEM, 0);
        return;
    }
    c->phase = NVS_CLEAR;
    c->cursor = c->low - c->alloc_len;
    c->clear_end = c->low;
    clear_next(c);
}

static void lookup_next(struct nvs_capsule *c)
{
    c->pos = next_candidate(c, c->pos);
    if (c->pos >= c->end_pos) {
        allocate(c);
        return;
    }
    dev_read(c, NVS_LOOKUP, nvr_pos_addr(&c->area, c->pos), NVR_POS_SIZE);
}

static void lookup_done(struct nvs_capsule *c)
{
    struct nvr_pos p;

    nvr_classify(c->bounce, &c->area, c->pos, &p);
    if (p.kind == NVR_POS_REGION && p.rec.owner == c->owner) {
        region_found(c, p.rec.addr, p.rec.length);
        return;
    }
    c->pos++;
    lookup_next(c);
}

static void committed(struct nvs_capsule *c)
{
    uint32_t data = c->low - c->alloc_len;

    index_set(c, c->end_pos, c->owner);
    c->end_pos++;
    c->low = data;
    log_info("nvstorage: region for owner 0x%lx at 0x%lx, %lu bytes", (unsigned long)c->owner,
             (unsigned long)data, (unsigned long)c->alloc_len);
    region_found(c, data, c->alloc_len);
}

/* Device completion: advance the request being served. */
static void nvs_dev_done(void *ctx, enum nvram_status status, size_t count)
{
    struct nvs_capsule *c = ctx;
    struct allow_buf b;
    bool ok = status == NVRAM_OK && count == c->chunk;

    switch (c->phase) {
    case NVS_LOOKUP:
        if (ok)
            lookup_done(c);
        else
            finish(c, TOCK_EFAIL, 0);
        return;
    case NVS_CLEAR:
    case NVS_CLEAR_POS:
        if (!ok) {
            finish(c, TOCK_EFAIL, 0);
            return;
        }
        c->cursor += c->chunk;
        clear_next(c);
        return;
    case NVS_COMMIT:
        if (!ok && c->step <= COMMIT_LIVE) {
            /* The region's primary record is not known whole: the region
             * is not live, the END on the chip and in RAM is unchanged and
             * the next allocation starts over at the same position. */
            finish(c, TOCK_EFAIL, 0);
            return;
        }
        if (!ok) {
            /* The region is live; a missing copy or END is rewritten by
             * the next boot scan (the position after it is cleared). */
            log_warn("nvstorage: record copy %u at %lu not written", (unsigned)c->step,
                     (unsigned long)c->end_pos);
            c->step = COMMIT_STEPS;
        }
        if (c->step < COMMIT_STEPS)
            commit_next(c);
        else
            committed(c);
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
        if (c->done == c->app_len)
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
        if (c->done == c->app_len)
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
    c->pos = 0;
    lookup_next(c);
}

/* Deferred: when idle, serve the oldest waiting request. Ids of processes
 * that died or restarted while waiting are dropped on the way. */
static void nvs_kick(void *ctx)
{
    struct nvs_capsule *c = ctx;
    proc_id_t pid;
    struct nvs_grant *g;

    while (c->phase == NVS_IDLE && c->q_len > 0) {
        pid = c->queue[c->q_head];
        c->q_head = (uint8_t)((c->q_head + 1u) % NVS_QUEUE_MAX);
        c->q_len--;
        g = grant_peek(&c->drv, pid);
        if (g != NULL && g->op != NVS_OP_NONE)
            serve(c, pid, g);
    }
}

/* Boot: write one copy of rec at position pos (blocking). */
static bool write_copy_blocking(struct nvs_capsule *c, uint32_t pos, int copy,
                                const struct nvr_record *rec)
{
    uint8_t out[NVR_REC_SIZE];

    nvr_encode(out, rec);
    if (nvram_write_blocking(c->dev, out,
                             nvr_pos_addr(&c->area, pos) + (uint32_t)copy * NVR_REC_SIZE,
                             NVR_REC_SIZE, NULL) == NVRAM_OK)
        return true;
    c->boot.device_error = true;
    return false;
}

static void repair(struct nvs_capsule *c, uint32_t pos, const struct nvr_pos *p)
{
    if (p->repair_primary && write_copy_blocking(c, pos, 0, &p->rec))
        c->boot.repaired++;
    if (p->repair_secondary && write_copy_blocking(c, pos, 1, &p->rec))
        c->boot.repaired++;
}

enum scan_step {
    SCAN_NEXT,     /* go on with the next position */
    SCAN_END,      /* the END is at end_pos */
    SCAN_LOST_END, /* the END at end_pos was lost: rewrite it */
    SCAN_STOP,     /* the table cannot be trusted further: allocate nothing */
};

/* Boot, position i; prev_invalid says whether position i - 1 was invalid. */
static enum scan_step scan_position(struct nvs_capsule *c, uint32_t i, bool *prev_invalid)
{
    struct nvr_pos p;

    if (nvram_read_blocking(c->dev, c->bounce, nvr_pos_addr(&c->area, i), NVR_POS_SIZE, NULL) !=
        NVRAM_OK) {
        c->boot.device_error = true;
        return SCAN_STOP;
    }
    nvr_classify(c->bounce, &c->area, i, &p);
    if (p.kind == NVR_POS_INVALID) {
        if (i == 0 && nvr_is_format1(c->bounce)) {
            c->boot.format1 = true;
            log_warn("nvstorage: format-1 table: refused (tools/fram_tool.py migrate)");
            return SCAN_STOP;
        }
        if (*prev_invalid) {
            c->end_pos = i - 1u; /* two in a row: the END is lost */
            return SCAN_LOST_END;
        }
        *prev_invalid = true;
        return SCAN_NEXT;
    }
    if (*prev_invalid) {
        c->boot.damaged++;
        log_warn("nvstorage: damaged record at 0x%lx: its region lost, others kept",
                 (unsigned long)nvr_pos_addr(&c->area, i - 1u));
        *prev_invalid = false;
    }
    /* Regions descend in position order; an END lies below them all. */
    if (p.rec.addr + (p.kind == NVR_POS_REGION ? p.rec.length : 0) > c->low) {
        log_warn("nvstorage: record at 0x%lx overlaps; no allocation",
                 (unsigned long)nvr_pos_addr(&c->area, i));
        c->end_pos = i;
        return SCAN_STOP;
    }
    repair(c, i, &p);
    c->low = p.rec.addr;
    if (p.kind == NVR_POS_END) {
        c->end_pos = i;
        return SCAN_END;
    }
    c->boot.regions++;
    index_set(c, i, p.rec.owner);
    return SCAN_NEXT;
}

/* Boot: read the directory once, up to its END. Repair a damaged copy of
 * any record whose other copy is good; skip (and log) a position whose two
 * copies are both damaged; rewrite the END if it was lost after regions
 * (two invalid positions in a row: the END and the never-valid one after
 * it); build the index. */
static void boot_scan(struct nvs_capsule *c)
{
    enum scan_step st = SCAN_NEXT;
    bool prev_invalid = false;
    uint32_t i;

    c->end_pos = 0;
    c->low = c->area.end;
    for (i = 0; st == SCAN_NEXT; i++) {
        if (!nvr_pos_fits(&c->area, i)) {
            /* Out of room: an invalid last position is a lost END; no END
             * at all is not a table we wrote. */
            c->end_pos = i - 1u;
            st = prev_invalid ? SCAN_LOST_END : SCAN_STOP;
            break;
        }
        st = scan_position(c, i, &prev_invalid);
    }
    /* A lost END after regions is rewritten, so one more damaged record
     * cannot hide the regions' extent. With no record at all the chip may
     * hold someone else's data: it is left as it is until an allocation
     * (which needs no END at its position, see commit_next). */
    if (st == SCAN_LOST_END && c->end_pos > 0) {
        struct nvr_record end = {NVR_KIND_END, 0, c->low, c->end_pos};

        if (nvr_record_fits(&c->area, c->end_pos, &end)) {
            c->boot.end_written = write_copy_blocking(c, c->end_pos, 0, &end) &&
                                  write_copy_blocking(c, c->end_pos, 1, &end);
        } else {
            st = SCAN_STOP;
        }
    }
    c->boot.corrupt = st == SCAN_STOP || c->boot.device_error;
    if (c->boot.device_error)
        log_warn("nvstorage: device error in scan; no allocation");
    log_info("nvstorage: %lu regions, END at %lu%s, %lu bytes free, %lu copies repaired",
             (unsigned long)c->boot.regions, (unsigned long)c->end_pos,
             c->boot.end_written ? LOG_TEXT(" (rewritten)") : LOG_TEXT(""),
             (unsigned long)room_left(c), (unsigned long)c->boot.repaired);
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
    c->drv.num_upcalls = NVS_NUM_UPCALLS;
    c->drv.num_allow_ro = NVS_NUM_ALLOW_RO;
    c->drv.num_allow_rw = NVS_NUM_ALLOW_RW;
    c->drv.grant_size = sizeof(struct nvs_grant);
    c->drv.command = nvs_command;
    c->drv.ctx = c;
    c->dev = cfg->dev;
    c->area.start = cfg->area_start;
    c->area.end = cfg->area_start + cfg->area_len;
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
