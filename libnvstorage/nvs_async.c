/*
 * The asynchronous calls: subscribe a library trampoline to the operation's
 * upcall, start it, return. The trampoline unshares the buffer and clears
 * the busy mark before calling the app's callback, so the callback may
 * start the next operation at once.
 */
#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kernel.h"
#include "userland/syscall.h"

/* The one operation in flight: what to tell, and whom. */
struct pending {
    enum nvs_k_op op;
    size_t len;
    nvs_size_fn *size_cb;
    nvs_done_fn *done_cb;
    void *ctx;
};

static struct pending cur;

static void trampoline(uint32_t status, uint32_t value, uint32_t unused, void *userdata)
{
    struct pending *p = userdata;
    struct pending done = *p;
    int err;

    (void)unused;
    nvs_k_unshare(done.op);
    nvs_k_set_busy(false);
    err = nvs_k_result(done.op, status, value, done.len);
    if (done.op == NVS_K_SIZE)
        done.size_cb(err, err == NVS_OK ? value : 0, done.ctx);
    else
        done.done_cb(err, err == NVS_OK ? done.len : value, done.ctx);
}

/* The callback is recorded before the command is issued; it cannot run
 * before the app next yields. */
static int start(const struct pending *p, uint64_t offset, const void *buf)
{
    int err;

    if (nvs_busy())
        return NVS_ERR_BUSY;
    err = nvs_from_tock(
        tock_subscribe_status(DRIVER_NVSTORAGE, nvs_k_upcall(p->op), trampoline, &cur));
    if (err != NVS_OK)
        return err;
    cur = *p;
    err = nvs_k_start(p->op, offset, buf, p->len);
    if (err == NVS_OK)
        nvs_k_set_busy(true);
    return err;
}

int nvs_size_async(nvs_size_fn *cb, void *ctx)
{
    struct pending p = {.op = NVS_K_SIZE, .size_cb = cb, .ctx = ctx};

    if (cb == NULL)
        return NVS_ERR_ARG;
    return start(&p, 0, NULL);
}

static int start_xfer(enum nvs_k_op op, uint64_t offset, const void *buf, size_t len,
                      nvs_done_fn *cb, void *ctx)
{
    struct pending p = {.op = op, .len = len, .done_cb = cb, .ctx = ctx};

    if (cb == NULL || buf == NULL || len == 0)
        return NVS_ERR_ARG;
    return start(&p, offset, buf);
}

int nvs_read_async(uint64_t offset, void *buf, size_t len, nvs_done_fn *cb, void *ctx)
{
    return start_xfer(NVS_K_READ, offset, buf, len, cb, ctx);
}

int nvs_write_async(uint64_t offset, const void *buf, size_t len, nvs_done_fn *cb, void *ctx)
{
    return start_xfer(NVS_K_WRITE, offset, buf, len, cb, ctx);
}
