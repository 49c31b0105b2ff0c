/* nvram: the checks every device shares and the boot-time helpers; see
 * nvram.h. Drivers see only requests that passed these checks. */
#include "hal/nvram.h"

#include "kernel/deferred.h"

/* Devices without a flush op still owe their client a callback; these
 * slots hold the devices whose "flush done" is pending. */
#define NVRAM_FLUSH_SLOTS 4

static struct nvram *flush_pending[NVRAM_FLUSH_SLOTS];
static struct deferred_call flush_dc;
static bool flush_dc_registered;

/* Shared checks: a device that is absent (size 0, or no ops) reports
 * ENODEV whatever the arguments, so clients see one clear reason. */
static enum nvram_status nvram_check(const struct nvram *dev, const void *buf, uint32_t addr,
                                     size_t len)
{
    if (dev == NULL)
        return NVRAM_EINVAL;
    if (dev->ops == NULL || dev->size == 0)
        return NVRAM_ENODEV;
    if (buf == NULL)
        return NVRAM_EINVAL;
    if (!nvram_range_ok(dev, addr, len))
        return NVRAM_ERANGE;
    return NVRAM_OK;
}

enum nvram_status nvram_read(struct nvram *dev, uint8_t *dst, uint32_t addr, size_t len)
{
    enum nvram_status st = nvram_check(dev, dst, addr, len);

    if (st != NVRAM_OK)
        return st;
    if (dev->ops->read == NULL)
        return NVRAM_ENODEV;
    return dev->ops->read(dev, dst, addr, len);
}

enum nvram_status nvram_write(struct nvram *dev, const uint8_t *src, uint32_t addr, size_t len)
{
    enum nvram_status st = nvram_check(dev, src, addr, len);

    if (st != NVRAM_OK)
        return st;
    if (dev->ops->write == NULL)
        return NVRAM_ENODEV;
    return dev->ops->write(dev, src, addr, len);
}

static void nvram_flush_complete(void *ctx)
{
    struct nvram *dev;
    int i;

    (void)ctx;
    for (i = 0; i < NVRAM_FLUSH_SLOTS; i++) {
        dev = flush_pending[i];
        if (dev == NULL)
            continue;
        flush_pending[i] = NULL;
        if (dev->done != NULL)
            dev->done(dev->done_ctx, NVRAM_OK, 0);
    }
}

/* Queue a "flush done" for a device with nothing to flush. */
static enum nvram_status nvram_flush_nothing(struct nvram *dev)
{
    int i, free_slot = -1;

    if (!flush_dc_registered) {
        deferred_register(&flush_dc, nvram_flush_complete, NULL);
        flush_dc_registered = true;
    }
    for (i = 0; i < NVRAM_FLUSH_SLOTS; i++) {
        if (flush_pending[i] == dev)
            return NVRAM_EBUSY;
        if (flush_pending[i] == NULL && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0)
        return NVRAM_EBUSY;
    flush_pending[free_slot] = dev;
    deferred_schedule(&flush_dc);
    return NVRAM_OK;
}

enum nvram_status nvram_flush(struct nvram *dev)
{
    if (dev == NULL)
        return NVRAM_EINVAL;
    if (dev->ops == NULL || dev->size == 0)
        return NVRAM_ENODEV;
    if (dev->ops->flush == NULL)
        return nvram_flush_nothing(dev);
    return dev->ops->flush(dev);
}

/* Blocking helpers: capture the completion in a local record. */
struct nvram_wait {
    bool finished;
    enum nvram_status status;
    size_t count;
};

static void nvram_wait_done(void *ctx, enum nvram_status status, size_t count)
{
    struct nvram_wait *w = ctx;

    w->finished = true;
    w->status = status;
    w->count = count;
}

static void nvram_wait_poll(struct nvram *dev)
{
    if (dev->ops->poll != NULL)
        dev->ops->poll(dev);
    else
        deferred_run();
}

static enum nvram_status nvram_blocking(struct nvram *dev, uint8_t *dst, const uint8_t *src,
                                        uint32_t addr, size_t len, size_t *count)
{
    nvram_done_fn saved_done;
    void *saved_ctx;
    struct nvram_wait w = {false, NVRAM_OK, 0};
    enum nvram_status st;

    if (count != NULL)
        *count = 0;
    if (dev == NULL)
        return NVRAM_EINVAL;
    saved_done = dev->done;
    saved_ctx = dev->done_ctx;
    nvram_set_client(dev, nvram_wait_done, &w);
    st = dst != NULL ? nvram_read(dev, dst, addr, len) : nvram_write(dev, src, addr, len);
    if (st == NVRAM_OK) {
        while (!w.finished)
            nvram_wait_poll(dev);
        st = w.status;
        if (count != NULL)
            *count = w.count;
    }
    nvram_set_client(dev, saved_done, saved_ctx);
    return st;
}

enum nvram_status nvram_read_blocking(struct nvram *dev, uint8_t *dst, uint32_t addr, size_t len,
                                      size_t *count)
{
    if (dst == NULL)
        return NVRAM_EINVAL;
    return nvram_blocking(dev, dst, NULL, addr, len, count);
}

enum nvram_status nvram_write_blocking(struct nvram *dev, const uint8_t *src, uint32_t addr,
                                       size_t len, size_t *count)
{
    if (src == NULL)
        return NVRAM_EINVAL;
    return nvram_blocking(dev, NULL, src, addr, len, count);
}

const char *nvram_status_name(enum nvram_status status)
{
    switch (status) {
    case NVRAM_OK:
        return "ok";
    case NVRAM_EBUSY:
        return "busy";
    case NVRAM_ERANGE:
        return "out of range";
    case NVRAM_EIO:
        return "i/o error";
    case NVRAM_ENODEV:
        return "no device";
    case NVRAM_EINVAL:
        return "invalid argument";
    }
    return "unknown status";
}
