/*
 * Error values: kernel codes to nvs_err, nvs_err to text and to errno.
 * Plain logic: compiles on the host for the unit tests.
 */
#include <errno.h>

#include "libnvstorage/nvs.h"

int nvs_from_tock(uint32_t status)
{
    if (status == TOCK_SUCCESS)
        return NVS_OK;
    if ((status >= TOCK_EFAIL && status <= TOCK_ENOACK) || status == TOCK_EBADRVAL)
        return -(int)status;
    return NVS_ERR_UNKNOWN;
}

const char *nvs_strerror(int err)
{
    switch (err) {
    case NVS_OK:
        return "success";
    case NVS_ERR_FAIL:
        return "storage failure (FAIL)";
    case NVS_ERR_BUSY:
        return "another storage operation is pending (BUSY)";
    case NVS_ERR_ALREADY:
        return "already in that state (ALREADY)";
    case NVS_ERR_OFF:
        return "storage device is off (OFF)";
    case NVS_ERR_RESERVE:
        return "no buffer shared with the kernel (RESERVE)";
    case NVS_ERR_INVAL:
        return "access outside the storage region (INVAL)";
    case NVS_ERR_SIZE:
        return "size rejected (SIZE)";
    case NVS_ERR_CANCEL:
        return "operation cancelled (CANCEL)";
    case NVS_ERR_NOMEM:
        return "no room left for a storage region (NOMEM)";
    case NVS_ERR_NOSUPPORT:
        return "no storage permission (NOSUPPORT)";
    case NVS_ERR_NODEVICE:
        return "no storage driver in this kernel (NODEVICE)";
    case NVS_ERR_UNINSTALLED:
        return "storage driver uninstalled (UNINSTALLED)";
    case NVS_ERR_NOACK:
        return "storage device did not acknowledge (NOACK)";
    case NVS_ERR_BADRVAL:
        return "unexpected answer from the kernel (BADRVAL)";
    case NVS_ERR_ARG:
        return "bad argument";
    case NVS_ERR_PAST_END:
        return "offset past the end of the region";
    case NVS_ERR_NO_SPACE:
        return "no space left at the end of the region";
    case NVS_ERR_SHORT:
        return "kernel moved fewer bytes than asked";
    case NVS_ERR_NO_RECORD:
        return "no valid record stored";
    case NVS_ERR_UNKNOWN:
        return "unknown kernel error code";
    case NVS_ERR_NOT_FOUND:
        return "no such key";
    case NVS_ERR_KEY_TOO_LONG:
        return "key too long";
    case NVS_ERR_VALUE_TOO_LONG:
        return "value too long";
    case NVS_ERR_CORRUPT:
        return "stored data failed its checks (damaged)";
    default:
        return "unknown libnvstorage error";
    }
}

int nvs_to_errno(int err)
{
    switch (err) {
    case NVS_OK:
        return 0;
    case NVS_ERR_PAST_END:
        return ENXIO;
    case NVS_ERR_NOT_FOUND:
        return ENOENT;
    case NVS_ERR_KEY_TOO_LONG:
        return ENAMETOOLONG;
    case NVS_ERR_VALUE_TOO_LONG:
        return EFBIG;
    case NVS_ERR_NO_SPACE:
    case NVS_ERR_NOMEM:
        return ENOSPC;
    case NVS_ERR_NOSUPPORT:
        return EACCES;
    case NVS_ERR_NODEVICE:
    case NVS_ERR_UNINSTALLED:
    case NVS_ERR_OFF:
        return ENODEV;
    case NVS_ERR_BUSY:
        return EBUSY;
    case NVS_ERR_ARG:
    case NVS_ERR_INVAL:
    case NVS_ERR_SIZE:
        return EINVAL;
    default:
        return EIO;
    }
}
