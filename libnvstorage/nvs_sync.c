/*
 * The kernel binding and the synchronous calls: share the buffer, issue the
 * command, sleep in yield-wait-for on the operation's upcall, unshare.
 * yield-wait-for takes the event without calling any subscribed function
 * and leaves every other upcall queued, so a synchronous call never runs
 * someone else's callback and never loses it.
 */
#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kernel.h"
#include "userland/syscall.h"

/* At most one asynchronous operation is in flight (the kernel keeps one
 * request per app); while it is, its buffer is shared and must not be
 * replaced by another call's. */
static bool k_busy;

/* The region's size never changes while the app runs. */
static bool k_size_known;
static uint64_t k_size;

void nvs_k_set_busy(bool busy)
{
    k_busy = busy;
}

bool nvs_busy(void)
{
    return k_busy;
}

void nvs_k_remember_size(uint64_t size)
{
    k_size = size;
    k_size_known = true;
}

uint32_t nvs_k_upcall(enum nvs_k_op op)
{
    if (op == NVS_K_READ)
        return NVS_UPCALL_READ;
    if (op == NVS_K_WRITE)
        return NVS_UPCALL_WRITE;
    return NVS_UPCALL_GET_SIZE;
}

static uint32_t command_of(enum nvs_k_op op)
{
    if (op == NVS_K_READ)
        return NVS_CMD_READ;
    if (op == NVS_K_WRITE)
        return NVS_CMD_WRITE;
    return NVS_CMD_GET_SIZE;
}

/* The kernel only ever writes into a read buffer, so sharing it read-write
 * is the one place the const of a write buffer is not needed. */
static int share(enum nvs_k_op op, const void *buf, size_t len)
{
    if (op == NVS_K_READ)
        return nvs_from_tock(
            tock_allow_rw_status(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, (void *)buf, len));
    if (op == NVS_K_WRITE)
        return nvs_from_tock(tock_allow_ro_status(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, buf, len));
    return NVS_OK;
}

void nvs_k_unshare(enum nvs_k_op op)
{
    (void)share(op, NULL, 0);
}

int nvs_k_start(enum nvs_k_op op, uint64_t offset, const void *buf, size_t len)
{
    int err = share(op, buf, len);

    if (err != NVS_OK)
        return err;
    err = nvs_from_tock(tock_command_ok(DRIVER_NVSTORAGE, command_of(op), (uint32_t)offset,
                                        (uint32_t)(offset >> 32)));
    if (err != NVS_OK)
        nvs_k_unshare(op);
    return err;
}

int nvs_k_result(enum nvs_k_op op, uint32_t status, uint32_t value, size_t want)
{
    int err = nvs_from_tock(status);

    if (err != NVS_OK)
        return err;
    if (op == NVS_K_SIZE) {
        nvs_k_remember_size(value);
        return NVS_OK;
    }
    return value == want ? NVS_OK : NVS_ERR_SHORT;
}

/* Start op and sleep until its upcall; *value gets the upcall's value. */
static int run_sync(enum nvs_k_op op, uint64_t offset, const void *buf, size_t len, uint32_t *value)
{
    tock_event_t ev;
    int err;

    if (k_busy)
        return NVS_ERR_BUSY;
    err = nvs_k_start(op, offset, buf, len);
    if (err != NVS_OK)
        return err;
    ev = tock_yield_wait_for(DRIVER_NVSTORAGE, nvs_k_upcall(op));
    nvs_k_unshare(op);
    *value = ev.arg1;
    return nvs_k_result(op, ev.arg0, ev.arg1, len);
}

int nvs_exists(void)
{
    return tock_driver_exists(DRIVER_NVSTORAGE) ? NVS_OK : NVS_ERR_NODEVICE;
}

int nvs_size(uint64_t *size)
{
    uint32_t value;
    int err;

    if (size == NULL)
        return NVS_ERR_ARG;
    if (k_size_known) {
        *size = k_size;
        return NVS_OK;
    }
    err = run_sync(NVS_K_SIZE, 0, NULL, 0, &value);
    if (err == NVS_OK)
        *size = value;
    return err;
}

int nvs_read(uint64_t offset, void *buf, size_t len)
{
    uint32_t moved;

    if (len == 0)
        return NVS_OK;
    if (buf == NULL)
        return NVS_ERR_ARG;
    return run_sync(NVS_K_READ, offset, buf, len, &moved);
}

int nvs_write(uint64_t offset, const void *buf, size_t len)
{
    uint32_t moved;

    if (len == 0)
        return NVS_OK;
    if (buf == NULL)
        return NVS_ERR_ARG;
    return run_sync(NVS_K_WRITE, offset, buf, len, &moved);
}
