/*
 * Return variant to status code: the one place that decides what a kernel
 * answer means, so callers compare against TOCK_SUCCESS and nothing else.
 */
#include "userland/syscall.h"

bool tock_is_success(tock_ret_t ret)
{
    return ret.variant >= RET_SUCCESS && ret.variant <= RET_SUCCESS_U32_U64;
}

/* A failure carries its error code in r1 whatever its variant. */
static int failure_code(tock_ret_t ret)
{
    if (ret.variant <= RET_FAILURE_U64 && ret.r1 != TOCK_SUCCESS) {
        return (int)ret.r1;
    }
    return TOCK_EBADRVAL;
}

int tock_status(tock_ret_t ret)
{
    return tock_is_success(ret) ? TOCK_SUCCESS : failure_code(ret);
}

int tock_status_u32(tock_ret_t ret, uint32_t *out)
{
    if (ret.variant == RET_SUCCESS_U32) {
        if (out != NULL) {
            *out = ret.r1;
        }
        return TOCK_SUCCESS;
    }
    return tock_is_success(ret) ? TOCK_EBADRVAL : failure_code(ret);
}

int tock_status_2u32(tock_ret_t ret, uint32_t *out, uint32_t *out2)
{
    if (ret.variant == RET_SUCCESS_2U32) {
        if (out != NULL) {
            *out = ret.r1;
        }
        if (out2 != NULL) {
            *out2 = ret.r2;
        }
        return TOCK_SUCCESS;
    }
    return tock_is_success(ret) ? TOCK_EBADRVAL : failure_code(ret);
}

int tock_command_ok(uint32_t driver, uint32_t command_num, uint32_t arg1, uint32_t arg2)
{
    tock_ret_t ret = tock_command(driver, command_num, arg1, arg2);
    if (ret.variant == RET_SUCCESS) {
        return TOCK_SUCCESS;
    }
    return tock_is_success(ret) ? TOCK_EBADRVAL : failure_code(ret);
}

int tock_command_u32(uint32_t driver, uint32_t command_num, uint32_t arg1, uint32_t arg2,
                     uint32_t *out)
{
    return tock_status_u32(tock_command(driver, command_num, arg1, arg2), out);
}

int tock_subscribe_status(uint32_t driver, uint32_t subscribe_num, tock_upcall_fn *upcall,
                          void *userdata)
{
    return tock_status_2u32(tock_subscribe(driver, subscribe_num, upcall, userdata), NULL, NULL);
}

int tock_allow_rw_status(uint32_t driver, uint32_t allow_num, void *ptr, size_t len)
{
    return tock_status_2u32(tock_allow_rw(driver, allow_num, ptr, len), NULL, NULL);
}

int tock_allow_ro_status(uint32_t driver, uint32_t allow_num, const void *ptr, size_t len)
{
    return tock_status_2u32(tock_allow_ro(driver, allow_num, ptr, len), NULL, NULL);
}

bool tock_driver_exists(uint32_t driver)
{
    return tock_status(tock_command(driver, 0, 0, 0)) == TOCK_SUCCESS;
}
