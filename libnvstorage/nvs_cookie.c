/*
 * The stdio cookie functions: a stream position over nvs_pread/nvs_pwrite.
 * Plain logic over the core calls; compiles on the host.
 */
#include <errno.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_posix.h"
#include "libnvstorage/nvs_stdio.h"

/* stdio wants -1 and errno for an error. */
static ssize_t fail(int err)
{
    errno = nvs_to_errno(err);
    return -1;
}

ssize_t nvs_cookie_read(void *cookie, char *buf, size_t n)
{
    struct nvs_cookie *c = cookie;
    ssize_t got = nvs_pread(buf, n, c->pos);

    if (got < 0)
        return fail((int)got);
    c->pos += (uint64_t)got;
    return got;
}

ssize_t nvs_cookie_write(void *cookie, const char *buf, size_t n)
{
    struct nvs_cookie *c = cookie;
    ssize_t put;

    if (n == 0)
        return 0;
    put = nvs_pwrite(buf, n, c->pos);
    if (put < 0)
        return fail((int)put);
    c->pos += (uint64_t)put;
    /* A short count means the region ended: some C libraries (glibc) treat
     * it as the error without calling again, so name it now. */
    if ((size_t)put < n)
        errno = ENOSPC;
    return put;
}

int nvs_cookie_seek(void *cookie, int64_t *off, int whence)
{
    struct nvs_cookie *c = cookie;
    uint64_t size;
    int64_t base;
    int err = nvs_size(&size);

    if (err != NVS_OK)
        return (int)fail(err);
    switch (whence) {
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = (int64_t)c->pos;
        break;
    case SEEK_END:
        base = (int64_t)size;
        break;
    default:
        return (int)fail(NVS_ERR_ARG);
    }
    /* Both terms are within the region or a caller's int64: check before
     * adding so the sum cannot overflow. */
    if ((*off < 0 && *off < -base) || (*off > 0 && (uint64_t)*off > size - (uint64_t)base))
        return (int)fail(NVS_ERR_ARG);
    c->pos = (uint64_t)(base + *off);
    *off = (int64_t)c->pos;
    return 0;
}
