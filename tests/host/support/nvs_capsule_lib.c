/* nvs_capsule_lib: see nvs_capsule_lib.h. */
#include "tests/host/support/nvs_capsule_lib.h"

#include <stdint.h>

#include "libnvstorage/nvs.h"
#include "tests/host/support/nvs_harness.h"

static proc_id_t cur;

void ncl_use(proc_id_t pid)
{
    cur = pid;
}

/* One command to completion: a synchronous refusal or the upcall's status. */
static int call(uint32_t cmd, uint64_t offset, uint32_t *len)
{
    struct fk_upcall up;
    uint32_t err;

    if (!nh_call(cur, cmd, (uint32_t)offset, (uint32_t)(offset >> 32), &err, &up))
        return err != TOCK_SUCCESS ? nvs_from_tock(err) : NVS_ERR_FAIL;
    if (len != NULL)
        *len = up.a1;
    return nvs_from_tock(up.a0);
}

int nvs_exists(void)
{
    return NVS_OK;
}

int nvs_size(uint64_t *size)
{
    uint32_t len = 0;
    int err;

    if (size == NULL)
        return NVS_ERR_ARG;
    err = call(NVS_CMD_GET_SIZE, 0, &len);
    if (err == NVS_OK)
        *size = len;
    return err;
}

int nvs_read(uint64_t offset, void *buf, size_t len)
{
    uint32_t moved = 0;
    int err;

    if (len == 0)
        return NVS_OK;
    if (buf == NULL)
        return NVS_ERR_ARG;
    fk_allow_rw(cur, NVS_ALLOW_RW_READ, buf, (uint32_t)len);
    err = call(NVS_CMD_READ, offset, &moved);
    fk_allow_rw(cur, NVS_ALLOW_RW_READ, NULL, 0);
    if (err == NVS_OK && moved != len)
        return NVS_ERR_SHORT;
    return err;
}

int nvs_write(uint64_t offset, const void *buf, size_t len)
{
    uint32_t moved = 0;
    int err;

    if (len == 0)
        return NVS_OK;
    if (buf == NULL)
        return NVS_ERR_ARG;
    fk_allow_ro(cur, NVS_ALLOW_RO_WRITE, buf, (uint32_t)len);
    err = call(NVS_CMD_WRITE, offset, &moved);
    fk_allow_ro(cur, NVS_ALLOW_RO_WRITE, NULL, 0);
    if (err == NVS_OK && moved != len)
        return NVS_ERR_SHORT;
    return err;
}
