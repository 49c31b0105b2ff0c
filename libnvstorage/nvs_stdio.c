/*
 * nvs_fopen: newlib's fopencookie over the cookie functions. The seek
 * adapter exists because newlib (built without 64-bit file offsets) passes
 * positions as off_t while the cookie functions use int64_t.
 */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_stdio.h"

static int seek_adapter(void *cookie, off_t *off, int whence)
{
    int64_t pos = *off;
    int rc = nvs_cookie_seek(cookie, &pos, whence);

    /* newlib 3.3's fopencookie hands back *off as the new position even
     * when the seek failed; -1 is what makes fseek report the failure. */
    *off = rc == 0 ? (off_t)pos : (off_t)-1;
    return rc;
}

static int close_adapter(void *cookie)
{
    free(cookie);
    return 0;
}

/* Modes that make sense for a fixed-size region: read or update, never
 * append. */
static int mode_ok(const char *mode)
{
    return mode != NULL && (mode[0] == 'r' || mode[0] == 'w') &&
           strspn(mode + 1, "+b") == strlen(mode + 1);
}

static FILE *refuse(int err, int *err_out)
{
    if (err_out != NULL)
        *err_out = err;
    errno = nvs_to_errno(err);
    return NULL;
}

FILE *nvs_fopen(const char *mode, int *err_out)
{
    cookie_io_functions_t io = {
        .read = nvs_cookie_read,
        .write = nvs_cookie_write,
        .seek = seek_adapter,
        .close = close_adapter,
    };
    struct nvs_cookie *c;
    uint64_t size;
    FILE *f;
    int err;

    if (!mode_ok(mode))
        return refuse(NVS_ERR_ARG, err_out);
    err = nvs_size(&size);
    if (err != NVS_OK)
        return refuse(err, err_out);
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return refuse(NVS_ERR_NOMEM, err_out);
    f = fopencookie(c, mode, io);
    if (f == NULL) {
        free(c);
        return refuse(NVS_ERR_NOMEM, err_out);
    }
    if (err_out != NULL)
        *err_out = NVS_OK;
    return f;
}
