/*
 * pread/pwrite over the synchronous core calls. Only the clamping to the
 * region's end lives here; it is plain logic and compiles on the host.
 */
#include "libnvstorage/nvs_posix.h"
#include "libnvstorage/nvs.h"

int nvs_span(uint64_t size, uint64_t off, size_t len, size_t *n)
{
    uint64_t room;

    if (off > size)
        return NVS_ERR_PAST_END;
    room = size - off; /* cannot wrap: off <= size */
    *n = (uint64_t)len < room ? len : (size_t)room;
    return NVS_OK;
}

/* The part of [off, off + len) inside the region: NVS_OK and *n, or an error. */
static int clamp(uint64_t off, size_t len, size_t *n)
{
    uint64_t size;
    int err = nvs_size(&size);

    if (err != NVS_OK)
        return err;
    return nvs_span(size, off, len, n);
}

ssize_t nvs_pread(void *buf, size_t len, uint64_t off)
{
    size_t n;
    int err;

    if (buf == NULL && len > 0)
        return NVS_ERR_ARG;
    err = clamp(off, len, &n);
    if (err == NVS_OK)
        err = nvs_read(off, buf, n);
    return err == NVS_OK ? (ssize_t)n : err;
}

ssize_t nvs_pwrite(const void *buf, size_t len, uint64_t off)
{
    size_t n;
    int err;

    if (buf == NULL && len > 0)
        return NVS_ERR_ARG;
    err = clamp(off, len, &n);
    if (err == NVS_OK && n == 0 && len > 0)
        err = NVS_ERR_NO_SPACE;
    if (err == NVS_OK)
        err = nvs_write(off, buf, n);
    return err == NVS_OK ? (ssize_t)n : err;
}
