/* The RAM-backed fake of the kernel-facing calls; see nvs_fake.h. */
#include <stdlib.h>
#include <string.h>

#include "libnvstorage/host/nvs_fake.h"
#include "libnvstorage/nvs.h"

struct nvs_fake nvs_fake;

void nvs_fake_reset(uint64_t size)
{
    memset(&nvs_fake, 0, sizeof(nvs_fake));
    nvs_fake.size = size;
    nvs_fake.write_budget = NVS_FAKE_NO_CUT;
}

void nvs_fake_fail_next(enum nvs_fake_call on, int err)
{
    nvs_fake.fail_on = on;
    nvs_fake.fail_err = err;
}

void nvs_fake_cut_after(uint64_t budget)
{
    nvs_fake.write_budget = budget;
}

void nvs_fake_power_on(void)
{
    nvs_fake.cut = false;
    nvs_fake.write_budget = NVS_FAKE_NO_CUT;
}

void nvs_fake_guard(uint64_t lo, uint64_t hi)
{
    nvs_fake.guard = true;
    nvs_fake.guard_lo = lo;
    nvs_fake.guard_hi = hi;
}

/* An access outside the guarded window is a bug in the caller: stop. */
static void check_guard(uint64_t off, size_t len)
{
    if (nvs_fake.guard && len > 0 &&
        (off < nvs_fake.guard_lo || off > nvs_fake.guard_hi || len > nvs_fake.guard_hi - off))
        abort();
}

/* The armed failure, if it matches this call (then disarmed). */
static int injected(enum nvs_fake_call call)
{
    int err = nvs_fake.fail_err;

    if (err == NVS_OK || (nvs_fake.fail_on != NVS_FAKE_ANY && nvs_fake.fail_on != call))
        return NVS_OK;
    nvs_fake.fail_err = NVS_OK;
    return err;
}

static bool inside(uint64_t off, size_t len)
{
    return off <= nvs_fake.size && len <= nvs_fake.size - off;
}

int nvs_exists(void)
{
    return NVS_OK;
}

int nvs_size(uint64_t *size)
{
    int err = injected(NVS_FAKE_SIZE);

    if (size == NULL)
        return NVS_ERR_ARG;
    if (err == NVS_OK)
        err = nvs_fake.size_err;
    if (err == NVS_OK)
        *size = nvs_fake.size;
    return err;
}

int nvs_read(uint64_t offset, void *buf, size_t len)
{
    int err = injected(NVS_FAKE_READ);

    if (err != NVS_OK)
        return err;
    if (len == 0)
        return NVS_OK;
    if (buf == NULL)
        return NVS_ERR_ARG;
    check_guard(offset, len);
    if (!inside(offset, len))
        return NVS_ERR_INVAL;
    memcpy(buf, nvs_fake.mem + offset, len);
    nvs_fake.reads++;
    return NVS_OK;
}

int nvs_write(uint64_t offset, const void *buf, size_t len)
{
    int err = injected(NVS_FAKE_WRITE);
    size_t n = len;

    if (err != NVS_OK)
        return err;
    if (len == 0)
        return NVS_OK;
    if (buf == NULL)
        return NVS_ERR_ARG;
    check_guard(offset, len);
    if (!inside(offset, len))
        return NVS_ERR_INVAL;
    if (nvs_fake.cut)
        return NVS_ERR_FAIL;
    if (nvs_fake.write_budget != NVS_FAKE_NO_CUT && len > nvs_fake.write_budget) {
        n = (size_t)nvs_fake.write_budget;
        nvs_fake.cut = true;
    }
    memcpy(nvs_fake.mem + offset, buf, n);
    nvs_fake.writes++;
    nvs_fake.bytes_written += n;
    if (nvs_fake.write_budget != NVS_FAKE_NO_CUT)
        nvs_fake.write_budget -= n;
    return nvs_fake.cut ? NVS_ERR_FAIL : NVS_OK;
}
