/*
 * loader: find the TBF app images in the board's app flash area and create
 * a process for each valid, enabled one.
 *
 * A bad image costs one log line (offset and reason) and never the kernel:
 * when its total size can still be trusted the loader skips to the next
 * image, otherwise it stops looking (what follows cannot be located).
 */
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/log.h"
#include "kernel/process.h"

#define KERNEL_ABI_MAJOR 2 /* Tock 2.x system call ABI */

const struct kernel_config *kernel_cfg;

/* Carve a block from the pool, sized and aligned as the MPU needs
 * (arch_mpu_ram_block: a power of two aligned to itself on PMSAv7, a
 * 32-byte multiple on PMSAv8), never smaller than PROC_MIN_RAM. */
static uint32_t ram_pool_next;

static bool alloc_ram(const struct kernel_config *cfg, uint32_t need, uint32_t *start,
                      uint32_t *size)
{
    uint32_t sz, align, base;

    if (!arch_mpu_ram_block(need < PROC_MIN_RAM ? PROC_MIN_RAM : need, &sz, &align))
        return false;
    base = (ram_pool_next + align - 1) & ~(align - 1);
    if (base < ram_pool_next || base > (uint32_t)cfg->app_ram_end ||
        sz > (uint32_t)cfg->app_ram_end - base)
        return false;
    ram_pool_next = base + sz;
    *start = base;
    *size = sz;
    return true;
}

/* Why an otherwise well-formed image cannot run here, or NULL. */
static const char *unusable(const struct tbf_info *info, uint32_t addr)
{
    if (info->has_kernel_version && info->kernel_major != KERNEL_ABI_MAJOR)
        return "built for another kernel ABI major version";
    if (!arch_mpu_region_ok(addr, info->total_size))
        return "image size or alignment not usable by the MPU (PMSAv7: a power of two, "
               "aligned to it; PMSAv8: 32-byte multiples)";
    if (info->has_fixed_addresses)
        return "fixed-address apps are not supported";
    return NULL;
}

static bool create_process(const struct kernel_config *cfg, const uint8_t *image,
                           const struct tbf_info *info, unsigned slot)
{
    struct process *p = &procs[slot];
    uint32_t need = info->min_ram_size + cfg->grant_reserve;

    if (need < info->min_ram_size || !alloc_ram(cfg, need, &p->ram_start, &p->ram_size)) {
        log_error("app '%s' at %p: not loaded: no RAM for %u bytes", info->name,
                  (const void *)image, (unsigned)need);
        return false;
    }
    p->index = (uint8_t)slot;
    p->flash = image;
    p->flash_size = info->total_size;
    p->entry = ((uint32_t)image + info->header_size + info->init_fn_offset) & ~1u;
    p->binary = (uint32_t)image + info->header_size + info->protected_size;
    memcpy(p->name, info->name, sizeof(p->name));
    memset(&p->storage, 0, sizeof(p->storage));
    if (cfg->storage_policy != NULL)
        cfg->storage_policy(info, &p->storage);
    p->restarts = 0;
    proc_start(p);
    log_info("app '%s': flash %p (%u bytes), RAM %08x (%u bytes)%s", info->name,
             (const void *)image, (unsigned)info->total_size, (unsigned)p->ram_start,
             (unsigned)p->ram_size, p->storage.has_write_id ? ", storage owner" : "");
    return true;
}

unsigned kernel_load_processes(const struct kernel_config *cfg)
{
    const uint8_t *at = cfg->app_flash_start;
    unsigned count = 0;

    kernel_cfg = cfg;
    ram_pool_next = (uint32_t)cfg->app_ram_start;
    while (at < cfg->app_flash_end) {
        uint32_t avail = (uint32_t)(cfg->app_flash_end - at);
        struct tbf_info info;
        enum tbf_error err = tbf_parse(at, avail, &info);
        const char *why;

        if (err == TBF_ERR_END)
            break;
        if (err != TBF_OK) {
            log_warn("app image at %p rejected: %s", (const void *)at, tbf_error_str(err));
            if (!tbf_error_skippable(err) || info.total_size == 0 || info.total_size > avail) {
                log_warn("cannot locate images after %p: app loading stops", (const void *)at);
                break;
            }
        } else if (!info.enabled) {
            log_info("app '%s' at %p is disabled: skipped", info.name, (const void *)at);
        } else if ((why = unusable(&info, (uint32_t)at)) != NULL) {
            log_warn("app '%s' at %p rejected: %s", info.name, (const void *)at, why);
        } else if (count == PROC_MAX) {
            log_warn("app '%s' at %p not loaded: all %d process slots used", info.name,
                     (const void *)at, PROC_MAX);
        } else if (create_process(cfg, at, &info, count)) {
            count++;
        }
        at += info.total_size;
    }
    proc_count = count;
    log_info("%u app%s loaded", count, count == 1 ? "" : "s");
    return count;
}
