/* nvg_io: see nvg_io.h. */
#include "nvg_io.h"

#include "abi/tock_abi.h"
#include "userland/syscall.h"

#define OFFSET_HIGH 0u /* the upper offset word: our regions are small */

int nvg_exists(void)
{
    return tock_command_ok(DRIVER_NVSTORAGE, NVS_CMD_EXISTS, 0, 0);
}

/* Issue a command whose result comes as upcall `num`; wait for it. */
static int run(uint32_t cmd, uint32_t num, uint32_t offset, uint32_t *arg1)
{
    int rc = tock_command_ok(DRIVER_NVSTORAGE, cmd, offset, OFFSET_HIGH);
    tock_event_t ev;

    if (rc != TOCK_SUCCESS)
        return rc;
    ev = tock_yield_wait_for(DRIVER_NVSTORAGE, num);
    if (arg1 != NULL)
        *arg1 = ev.arg1;
    return (int)ev.arg0;
}

int nvg_size(uint32_t *size)
{
    return run(NVS_CMD_GET_SIZE, NVS_UPCALL_GET_SIZE, 0, size);
}

int nvg_read(uint32_t offset, void *buf, size_t len)
{
    int rc = tock_allow_rw_status(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, buf, len);

    if (rc == TOCK_SUCCESS)
        rc = run(NVS_CMD_READ, NVS_UPCALL_READ, offset, NULL);
    tock_allow_rw(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, NULL, 0);
    return rc;
}

int nvg_write(uint32_t offset, const void *buf, size_t len)
{
    int rc = tock_allow_ro_status(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, buf, len);

    if (rc == TOCK_SUCCESS)
        rc = run(NVS_CMD_WRITE, NVS_UPCALL_WRITE, offset, NULL);
    tock_allow_ro(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, NULL, 0);
    return rc;
}
