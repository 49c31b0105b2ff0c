/*
 * nvram: the hardware interface for byte-addressable nonvolatile memories
 * that need no erase (FRAM, MRAM).
 *
 * Shape: RIOT's nvram descriptor (read, write, size, device-specific extra),
 * made event-driven. An operation *starts* with nvram_read()/nvram_write()
 * and *completes* later through the client's callback with a status and a
 * byte count. A device does one operation at a time.
 *
 * Contract
 *  - Callers: capsules and boot code, in kernel thread context (the kernel
 *    loop, a deferred call, a completion callback). Never from an interrupt
 *    handler, never from a process.
 *  - Start functions never block for long and never call the callback
 *    themselves: completion is always reported later (from a deferred call
 *    or an interrupt bottom half), so a client may start the next operation
 *    from inside its callback.
 *  - A start function returning anything but NVRAM_OK means nothing was
 *    started and no callback will come.
 *  - Done means done: when a write's callback reports NVRAM_OK, every byte
 *    is on the medium (for I2C FRAM: the STOP that ends the write has been
 *    sent). Devices that buffer writes implement flush and the driver flushes
 *    before reporting. On error the callback's count says how many leading
 *    bytes are known to be on the medium.
 *  - Addresses are device-relative; an access that does not lie wholly
 *    inside [0, size) is refused with NVRAM_ERANGE before anything starts.
 *  - The buffer belongs to the device until the callback runs.
 *
 * The nvram_*_blocking() helpers spin the device's own completion path; they
 * are for boot-time use only (probe, self-tests), before processes run.
 */
#ifndef HAL_NVRAM_H
#define HAL_NVRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Status of a start function or of a completed operation. */
enum nvram_status {
    NVRAM_OK = 0,
    NVRAM_EBUSY = -1,  /* an operation is already in flight */
    NVRAM_ERANGE = -2, /* address range outside the device */
    NVRAM_EIO = -3,    /* the device did not answer or reported an error */
    NVRAM_ENODEV = -4, /* no device present (probe failed) */
    NVRAM_EINVAL = -5, /* null buffer or similar caller error */
};

struct nvram;

/* Completion callback: status of the whole operation and the number of
 * bytes actually transferred (== the requested length when status is OK). */
typedef void (*nvram_done_fn)(void *ctx, enum nvram_status status, size_t count);

/* Operations a device implements. flush may be NULL (writes are durable
 * when the write completes). */
struct nvram_ops {
    enum nvram_status (*read)(struct nvram *dev, uint8_t *dst, uint32_t addr, size_t len);
    enum nvram_status (*write)(struct nvram *dev, const uint8_t *src, uint32_t addr, size_t len);
    enum nvram_status (*flush)(struct nvram *dev);
    /* Run the device until the operation in flight completes (boot only). */
    void (*poll)(struct nvram *dev);
};

/* Device descriptor. Drivers embed it in their own state and set ops, size,
 * extra; clients set the callback with nvram_set_client(). */
struct nvram {
    const struct nvram_ops *ops;
    uint32_t size;      /* capacity in bytes; 0 if the device is absent */
    void *extra;        /* device-specific parameters */
    nvram_done_fn done; /* client's completion callback */
    void *done_ctx;
};

static inline void nvram_set_client(struct nvram *dev, nvram_done_fn done, void *ctx)
{
    dev->done = done;
    dev->done_ctx = ctx;
}

static inline uint32_t nvram_size(const struct nvram *dev)
{
    return dev->size;
}

/* True when [addr, addr + len) lies inside the device (overflow-safe). */
static inline bool nvram_range_ok(const struct nvram *dev, uint32_t addr, size_t len)
{
    return addr <= dev->size && len <= dev->size - addr;
}

/* Start a read of len bytes at addr into dst. */
enum nvram_status nvram_read(struct nvram *dev, uint8_t *dst, uint32_t addr, size_t len);

/* Start a write of len bytes from src to addr. */
enum nvram_status nvram_write(struct nvram *dev, const uint8_t *src, uint32_t addr, size_t len);

/* Start a flush; completes through the callback with count 0. On devices
 * without a write buffer it completes at once (still through the callback). */
enum nvram_status nvram_flush(struct nvram *dev);

/* Boot-time helpers: start, then poll until done. They temporarily take the
 * client callback and restore it. Return the final status; *count (may be
 * NULL) gets the bytes moved. */
enum nvram_status nvram_read_blocking(struct nvram *dev, uint8_t *dst, uint32_t addr, size_t len,
                                      size_t *count);
enum nvram_status nvram_write_blocking(struct nvram *dev, const uint8_t *src, uint32_t addr,
                                       size_t len, size_t *count);

/* Short English name of a status, for logs. */
const char *nvram_status_name(enum nvram_status status);

#endif /* HAL_NVRAM_H */
