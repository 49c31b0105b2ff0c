/*
 * process: the process table, process memory, start contract, exit and
 * fault policy. See process.h for the memory layout.
 */
#include "kernel/process.h"

#include <string.h>

#include "kernel/grant.h"
#include "kernel/log.h"

struct process procs[PROC_MAX];
unsigned proc_count;

bool proc_in_ram(const struct process *p, uint32_t addr, uint32_t len)
{
    return addr >= p->ram_start && addr <= p->app_break && len <= p->app_break - addr;
}

bool proc_in_flash(const struct process *p, uint32_t addr, uint32_t len)
{
    uint32_t start = (uint32_t)p->flash;

    return addr >= start && addr - start <= p->flash_size && len <= p->flash_size - (addr - start);
}

/* The lowest address the grant area may grow down to: the first MPU
 * granule boundary at or above the break, so no grant byte ever shares a
 * subregion with memory the process can reach. */
static uint32_t break_ceiling(const struct process *p, uint32_t brk)
{
    uint32_t granule = arch_mpu_ram_granule(p->ram_size);
    uint32_t off = brk - p->ram_start;

    return p->ram_start + (off + granule - 1) / granule * granule;
}

/* True if a buffer p has allowed (read-write or read-only) in its RAM
 * block reaches above `limit`. The break may not go below such a buffer:
 * a grant allocated later could then sit under memory a capsule still
 * reads or writes on the process's behalf. Only used when lowering the
 * break (rare), so a walk of the allow slots is fine. */
static bool allowed_above(struct process *p, uint32_t limit)
{
    unsigned d, i, rw;

    for (d = 0; d < kernel_cfg->num_drivers; d++) {
        const struct driver *drv = kernel_cfg->drivers[d];

        for (rw = 0; rw < 2; rw++) {
            struct allow_buf *slots = grant_allows(p, d, rw, false);
            unsigned n = rw ? drv->num_allow_rw : drv->num_allow_ro;

            for (i = 0; slots != NULL && i < n; i++) {
                uint32_t a = (uint32_t)slots[i].ptr, len = slots[i].len;

                if (len != 0 && a - p->ram_start < p->ram_size && a + len > limit)
                    return true;
            }
        }
    }
    return false;
}

bool proc_set_break(struct process *p, uint32_t new_break)
{
    if (new_break < p->ram_start + PROC_INITIAL_BREAK || new_break > p->grant_start)
        return false;
    if (new_break < p->app_break && allowed_above(p, new_break))
        return false;
    if (break_ceiling(p, new_break) > p->grant_start)
        return false;
    p->app_break = new_break;
    return true;
}

void *grant_alloc(struct process *p, unsigned d, uint32_t size)
{
    uint32_t start;

    size = (size + 7u) & ~7u;
    if (size > p->grant_start - p->ram_start)
        return NULL;
    start = (p->grant_start - size) & ~7u;
    if (start < break_ceiling(p, p->app_break))
        return NULL;
    p->grant_start = start;
    memset((void *)start, 0, size);
    p->grants[d] = (void *)start;
    return (void *)start;
}

void proc_mpu_setup(struct process *p)
{
    arch_mpu_compute(&p->ctx.mpu, (uint32_t)p->flash, p->flash_size, p->ram_start, p->ram_size,
                     p->app_break - p->ram_start);
}

void proc_start(struct process *p)
{
    struct arch_frame *frame;

    /* A process id keeps 24 bits of generation: one more start would
     * bring back an id of this slot's first life, so the slot stops. */
    if (proc_generation(p) >= PROC_GEN_LAST) {
        log_error("process '%s': process ids of slot %u used up: stopped", p->name, proc_slot(p));
        p->state = PROC_TERMINATED;
        return;
    }
    proc_next_generation(p);
    memset(p->grants, 0, sizeof(p->grants));
    p->queue_len = 0;
    p->queue_head = 0;
    p->upcalls_dropped = 0;
    p->exit_code = 0;
    p->stack_hint = p->heap_hint = 0;
    /* A restarted process gets a clean block: nothing of its previous
     * life (or of the grants) is left for it to read. */
    memset((void *)p->ram_start, 0, p->ram_size);
    p->grant_start = p->ram_start + p->ram_size;
    p->app_break = p->ram_start + PROC_INITIAL_BREAK;

    /* Tock's Cortex-M start contract: the first "return" into the process
     * pops this frame; r0-r3 carry the app's memory layout. */
    memset(&p->ctx, 0, sizeof(p->ctx));
    p->ctx.sp = p->app_break - ARCH_FRAME_SIZE;
    frame = proc_frame(p);
    frame->r0 = p->binary;
    frame->r1 = p->ram_start;
    frame->r2 = p->ram_size;
    frame->r3 = p->app_break;
    frame->r12 = 0;
    frame->lr = 0;
    frame->pc = p->entry;
    frame->xpsr = ARCH_XPSR_THUMB;
    proc_mpu_setup(p);
    p->state = PROC_RUNNABLE;
}

static void log_layout(const struct process *p)
{
    log_error("  flash %08x..%08x  RAM %08x..%08x  break %08x  grants from %08x",
              (unsigned)(uint32_t)p->flash, (unsigned)((uint32_t)p->flash + p->flash_size),
              (unsigned)p->ram_start, (unsigned)(p->ram_start + p->ram_size),
              (unsigned)p->app_break, (unsigned)p->grant_start);
    if (p->stack_hint || p->heap_hint)
        log_error("  stack top %08x  heap start %08x", (unsigned)p->stack_hint,
                  (unsigned)p->heap_hint);
}

void proc_fault(struct process *p, const char *why, const struct arch_fault *fault)
{
    log_error("process '%s' faulted: %s", p->name, why);
    if (proc_in_ram(p, p->ctx.sp, ARCH_FRAME_SIZE)) {
        arch_log_frame(proc_frame(p), p->ctx.sp);
    } else {
        /* Stacking failed: the frame is not in its memory, so don't read it. */
        log_error("  sp %08x is outside the process's RAM: no register frame", (unsigned)p->ctx.sp);
    }
    log_error("  r4 %08x  r5 %08x  r6 %08x  r7 %08x", (unsigned)p->ctx.r4_r11[0],
              (unsigned)p->ctx.r4_r11[1], (unsigned)p->ctx.r4_r11[2], (unsigned)p->ctx.r4_r11[3]);
    log_error("  r8 %08x  r9 %08x  r10 %08x  r11 %08x", (unsigned)p->ctx.r4_r11[4],
              (unsigned)p->ctx.r4_r11[5], (unsigned)p->ctx.r4_r11[6], (unsigned)p->ctx.r4_r11[7]);
    if (fault != NULL)
        arch_log_fault_status(fault);
    log_layout(p);

    if (p->restarts < kernel_cfg->restart_limit) {
        p->restarts++;
        log_warn("process '%s': restart %u of %u", p->name, p->restarts, kernel_cfg->restart_limit);
        proc_start(p);
    } else {
        log_error("process '%s': stopped after %u restarts", p->name, p->restarts);
        p->state = PROC_FAULTED;
        proc_next_generation(p);
    }
}

void proc_exit(struct process *p, bool restart, uint32_t code)
{
    p->exit_code = code;
    if (restart) {
        log_info("process '%s' asked to restart (code %u)", p->name, (unsigned)code);
        proc_start(p);
        return;
    }
    log_info("process '%s' exited with code %u", p->name, (unsigned)code);
    p->state = PROC_TERMINATED;
    proc_next_generation(p); /* capsules' ids for it go stale */
}
