/* ram_fram: see ram_fram.h. */
#include "drivers/ram_fram.h"

#include <string.h>

static struct ram_fram *to_ram(struct nvram *dev)
{
    return (struct ram_fram *)dev;
}

static void ram_finish(struct ram_fram *f, enum nvram_status status, size_t count)
{
    /* Idle before the callback: the client may start the next operation. */
    f->op = RAM_FRAM_IDLE;
    f->ops_completed++;
    if (f->nv.done != NULL)
        f->nv.done(f->nv.done_ctx, status, count);
}

static void ram_apply_flips(const struct ram_fram *f, uint8_t *dst, uint32_t addr, size_t len)
{
    const struct ram_fram_flip *fl;
    int i;

    for (i = 0; i < RAM_FRAM_MAX_FLIPS; i++) {
        fl = &f->flips[i];
        if (fl->mask != 0 && fl->addr >= addr && fl->addr - addr < len)
            dst[fl->addr - addr] ^= fl->mask;
    }
}

static void ram_step(void *ctx)
{
    struct ram_fram *f = ctx;
    size_t n;

    if (f->op == RAM_FRAM_IDLE)
        return;
    if (f->doomed) {
        ram_finish(f, NVRAM_EIO, 0);
        return;
    }
    switch (f->op) {
    case RAM_FRAM_READ:
        memcpy(f->dst, f->mem + f->addr, f->len);
        ram_apply_flips(f, f->dst, f->addr, f->len);
        ram_finish(f, NVRAM_OK, f->len);
        break;
    case RAM_FRAM_WRITE:
        if (f->cut_armed) {
            /* The supply fails part way: only the leading bytes land. */
            n = f->cut_after < f->len ? f->cut_after : f->len;
            memcpy(f->mem + f->addr, f->src, n);
            f->cut_armed = false;
            f->powered = false;
            ram_finish(f, NVRAM_EIO, n);
            break;
        }
        memcpy(f->mem + f->addr, f->src, f->len);
        ram_finish(f, NVRAM_OK, f->len);
        break;
    default:
        ram_finish(f, NVRAM_OK, 0);
        break;
    }
}

static enum nvram_status ram_begin(struct ram_fram *f, enum ram_fram_op op, uint32_t addr,
                                   size_t len)
{
    if (!f->powered)
        return NVRAM_EIO;
    if (f->op != RAM_FRAM_IDLE)
        return NVRAM_EBUSY;
    if (!nvram_range_ok(&f->nv, addr, len))
        return NVRAM_ERANGE;
    f->op = op;
    f->addr = addr;
    f->len = len;
    f->ops_started++;
    f->doomed = f->fail_countdown != 0 && --f->fail_countdown == 0;
    deferred_schedule(&f->step);
    return NVRAM_OK;
}

static enum nvram_status ram_read(struct nvram *dev, uint8_t *dst, uint32_t addr, size_t len)
{
    struct ram_fram *f = to_ram(dev);
    enum nvram_status st = ram_begin(f, RAM_FRAM_READ, addr, len);

    if (st == NVRAM_OK)
        f->dst = dst;
    return st;
}

static enum nvram_status ram_write(struct nvram *dev, const uint8_t *src, uint32_t addr, size_t len)
{
    struct ram_fram *f = to_ram(dev);
    enum nvram_status st = ram_begin(f, RAM_FRAM_WRITE, addr, len);

    if (st == NVRAM_OK)
        f->src = src;
    return st;
}

static enum nvram_status ram_flush(struct nvram *dev)
{
    return ram_begin(to_ram(dev), RAM_FRAM_FLUSH, 0, 0);
}

static void ram_poll(struct nvram *dev)
{
    struct ram_fram *f = to_ram(dev);

    if (f->op != RAM_FRAM_IDLE && deferred_take(&f->step))
        ram_step(f);
}

static const struct nvram_ops ram_ops = {
    .read = ram_read,
    .write = ram_write,
    .flush = ram_flush,
    .poll = ram_poll,
};

void ram_fram_init(struct ram_fram *f, uint8_t *mem, uint32_t size)
{
    /* The deferred list links through f->step: keep it across the reset;
     * registering again then resets the call in place. */
    struct deferred_call keep = f->step;

    memset(f, 0, sizeof(*f));
    f->nv.ops = &ram_ops;
    f->nv.size = size;
    f->nv.extra = f;
    f->mem = mem;
    f->op = RAM_FRAM_IDLE;
    f->powered = true;
    f->step = keep;
    deferred_register(&f->step, ram_step, f);
}

void ram_fram_fail_op(struct ram_fram *f, uint32_t nth)
{
    f->fail_countdown = nth;
}

void ram_fram_cut_power_after(struct ram_fram *f, size_t bytes)
{
    f->cut_armed = true;
    f->cut_after = bytes;
}

void ram_fram_power_on(struct ram_fram *f)
{
    f->powered = true;
    f->cut_armed = false;
}

bool ram_fram_powered(const struct ram_fram *f)
{
    return f->powered;
}

bool ram_fram_flip_on_read(struct ram_fram *f, uint32_t addr, uint8_t mask)
{
    int i;

    if (mask == 0)
        return false;
    for (i = 0; i < RAM_FRAM_MAX_FLIPS; i++) {
        if (f->flips[i].mask == 0) {
            f->flips[i].addr = addr;
            f->flips[i].mask = mask;
            return true;
        }
    }
    return false;
}

void ram_fram_clear_faults(struct ram_fram *f)
{
    f->fail_countdown = 0;
    f->cut_armed = false;
    memset(f->flips, 0, sizeof(f->flips));
}
