/* nvs_harness: see nvs_harness.h. */
#include "tests/host/support/nvs_harness.h"

#include <string.h>

#include "kernel/deferred.h"

uint8_t nh_mem[NH_FRAM_SIZE];
struct nh_dev nh_dev;
struct nvs_capsule nh_cap;

static enum nvram_status nh_read(struct nvram *dev, uint8_t *dst, uint32_t addr, size_t len)
{
    (void)dev;
    nh_dev.reads++;
    return nvram_read(&nh_dev.rf.nv, dst, addr, len);
}

static enum nvram_status nh_write(struct nvram *dev, const uint8_t *src, uint32_t addr, size_t len)
{
    enum nvram_status st;

    (void)dev;
    /* Arm the medium's power cut on the write that crosses the mark. */
    if (nh_dev.cut_at != NH_NO_CUT && (uint64_t)nh_dev.cut_at < len) {
        ram_fram_cut_power_after(&nh_dev.rf, (size_t)nh_dev.cut_at);
        nh_dev.cut_at = NH_NO_CUT;
    } else if (nh_dev.cut_at != NH_NO_CUT) {
        nh_dev.cut_at -= (long)len;
    }
    nh_dev.writes++;
    st = nvram_write(&nh_dev.rf.nv, src, addr, len);
    if (st == NVRAM_OK)
        nh_dev.written += len;
    return st;
}

static enum nvram_status nh_flush(struct nvram *dev)
{
    (void)dev;
    return nvram_flush(&nh_dev.rf.nv);
}

static void nh_done(void *ctx, enum nvram_status status, size_t count)
{
    (void)ctx;
    if (nh_dev.nv.done != NULL)
        nh_dev.nv.done(nh_dev.nv.done_ctx, status, count);
}

static const struct nvram_ops nh_ops = {
    .read = nh_read,
    .write = nh_write,
    .flush = nh_flush,
    /* No poll: the blocking helpers then run deferred calls, which keeps
     * the harness independent of any one device's polling. */
    .poll = NULL,
};

void nh_boot(const struct nvs_config *cfg, uint32_t size)
{
    nh_boot_with_cut(cfg, size, NH_NO_CUT);
}

void nh_boot_with_cut(const struct nvs_config *cfg, uint32_t size, long cut_at)
{
    struct nvs_config c = *cfg;

    ram_fram_init(&nh_dev.rf, nh_mem, size);
    nvram_set_client(&nh_dev.rf.nv, nh_done, NULL);
    nh_dev.nv.ops = &nh_ops;
    nh_dev.nv.size = size;
    nh_dev.nv.extra = NULL;
    nh_dev.cut_at = cut_at;
    nh_dev.written = 0;
    nh_dev.writes = 0;
    nh_dev.reads = 0;
    c.dev = &nh_dev.nv;
    nvs_init(&nh_cap, &c);
}

void nh_run(void)
{
    while (deferred_any_pending())
        deferred_run();
}

struct syscall_ret nh_cmd(proc_id_t pid, uint32_t cmd, uint32_t arg1, uint32_t arg2)
{
    const struct driver *drv = nvs_driver(&nh_cap);

    return command_ret_unpack(drv->command(drv, pid, cmd, arg1, arg2));
}

bool nh_call(proc_id_t pid, uint32_t cmd, uint32_t arg1, uint32_t arg2, uint32_t *sync_err,
             struct fk_upcall *up)
{
    struct syscall_ret r = nh_cmd(pid, cmd, arg1, arg2);

    if (sync_err != NULL)
        *sync_err = r.variant == RET_FAILURE ? r.r1 : TOCK_SUCCESS;
    if (r.variant != RET_SUCCESS)
        return false;
    nh_run();
    return fk_upcall_take(pid, up);
}
