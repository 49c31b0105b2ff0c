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

/*
 * Process RAM: each block is sized and aligned as the MPU needs
 * (arch_mpu_ram_block: a power of two aligned to itself on PMSAv7, a
 * multiple of 32 bytes on PMSAv8), never smaller than PROC_MIN_RAM. Blocks
 * are carved from a list of free holes, best fit: the hole that leaves
 * least over once the block is aligned in it. Alignment padding stays a
 * hole, so a small app after a large one fills the space below the large
 * one instead of being refused (a bump pointer would have jumped past it).
 * Each placement splits one hole in at most two, so PROC_MAX blocks need
 * at most PROC_MAX + 1 holes. Apps are placed in flash order (slot order);
 * the holes make that order matter little.
 */
#define RAM_HOLES_MAX (PROC_MAX + 1)

struct ram_hole {
    uint32_t start, end; /* [start, end); empty when start == end */
};

/* The free RAM while apps load: on the loader's stack, since nothing
 * needs it after boot. */
struct ram_map {
    struct ram_hole hole[RAM_HOLES_MAX];
    unsigned count;
};

static void ram_map_init(struct ram_map *m, const struct kernel_config *cfg)
{
    m->hole[0].start = (uint32_t)cfg->app_ram_start;
    m->hole[0].end = (uint32_t)cfg->app_ram_end;
    m->count = 1;
}

/* Where a block of sz bytes aligned to `align` would go in h, or false. */
static bool fit_in(const struct ram_hole *h, uint32_t sz, uint32_t align, uint32_t *base)
{
    uint32_t b = (h->start + align - 1) & ~(align - 1);

    if (b < h->start || b > h->end || sz > h->end - b)
        return false;
    *base = b;
    return true;
}

/* Take [base, base + sz) out of hole i: what is left below stays in slot
 * i, what is left above becomes a new hole. */
static void split_hole(struct ram_map *m, unsigned i, uint32_t base, uint32_t sz)
{
    uint32_t end = m->hole[i].end;

    m->hole[i].end = base;
    if (base + sz < end && m->count < RAM_HOLES_MAX) {
        m->hole[m->count].start = base + sz;
        m->hole[m->count].end = end;
        m->count++;
    }
}

static bool alloc_ram(struct ram_map *m, uint32_t need, uint32_t *start, uint32_t *size)
{
    uint32_t sz, align, base, best_base = 0, best_left = UINT32_MAX;
    unsigned i, best = RAM_HOLES_MAX;

    if (!arch_mpu_ram_block(need < PROC_MIN_RAM ? PROC_MIN_RAM : need, &sz, &align))
        return false;
    for (i = 0; i < m->count; i++) {
        uint32_t left;

        if (!fit_in(&m->hole[i], sz, align, &base))
            continue;
        left = m->hole[i].end - m->hole[i].start - sz;
        if (left < best_left) {
            best = i;
            best_base = base;
            best_left = left;
        }
    }
    if (best == RAM_HOLES_MAX)
        return false;
    split_hole(m, best, best_base, sz);
    *start = best_base;
    *size = sz;
    return true;
}

/* Why an otherwise well-formed image cannot run here, or NULL. */
static const char *unusable(const struct tbf_info *info, uint32_t addr)
{
    if (info->has_kernel_version && info->kernel_major != KERNEL_ABI_MAJOR)
        return LOG_TEXT("built for another kernel ABI major version");
    if (!arch_mpu_region_ok(addr, info->total_size))
        return LOG_TEXT("image size or alignment not usable by the MPU (PMSAv7: a power of two, "
                        "aligned to it; PMSAv8: 32-byte multiples)");
    if (info->has_fixed_addresses)
        return LOG_TEXT("fixed-address apps are not supported");
    return NULL;
}

static bool create_process(const struct kernel_config *cfg, struct ram_map *ram,
                           const uint8_t *image, const struct tbf_info *info, unsigned slot)
{
    struct process *p = &procs[slot];
    uint32_t need = info->min_ram_size + cfg->grant_reserve;

    if (need < info->min_ram_size || !alloc_ram(ram, need, &p->ram_start, &p->ram_size)) {
        log_error("app '%s' at %p: not loaded: no RAM for %u bytes", info->name,
                  (const void *)image, (unsigned)need);
        return false;
    }
    p->id = slot; /* the slot, at generation 0: proc_start() makes it 1 */
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
             (unsigned)p->ram_size,
             p->storage.has_write_id ? LOG_TEXT(", storage owner") : LOG_TEXT(""));
    return true;
}

unsigned kernel_load_processes(const struct kernel_config *cfg)
{
    const uint8_t *at = cfg->app_flash_start;
    unsigned count = 0;
    struct ram_map ram;

    kernel_cfg = cfg;
    ram_map_init(&ram, cfg);
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
        } else if (!info.enabled && info.name[0] == '\0') {
            /* What tbf_assemble and Tock's tools put between images to
             * align the next one: a disabled header without a name. */
            log_info("padding at %p (%u bytes): skipped", (const void *)at,
                     (unsigned)info.total_size);
        } else if (!info.enabled) {
            log_info("app '%s' at %p is disabled: skipped", info.name, (const void *)at);
        } else if ((why = unusable(&info, (uint32_t)at)) != NULL) {
            log_warn("app '%s' at %p rejected: %s", info.name, (const void *)at, why);
        } else if (count == PROC_MAX) {
            log_warn("app '%s' at %p not loaded: all %d process slots used", info.name,
                     (const void *)at, PROC_MAX);
        } else if (create_process(cfg, &ram, at, &info, count)) {
            count++;
        }
        at += info.total_size;
    }
    proc_count = count;
    log_info("%u app%s loaded", count, count == 1 ? LOG_TEXT("") : LOG_TEXT("s"));
    return count;
}
