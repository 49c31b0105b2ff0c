/*
 * syscall: the seven Tock 2.x system call classes (TRD104, memop.md).
 *
 * Arguments come from r0-r3 of the exception frame on the process stack;
 * the class is the immediate of the `svc` instruction. Results go back into
 * the same frame, and only into the registers the return variant uses:
 * libtock-c keeps live values in the others.
 *
 * syscall_entry() runs in the SVC exception handler, so the common calls
 * return to the process without a trip through the kernel thread; it only
 * hands over (a trap) when the process blocks, exits or must be faulted,
 * or when the kernel has work of its own.
 */
#include "kernel/syscall.h"

#include <stddef.h>

#include "abi/tock_abi.h"
#include "kernel/arch/cortex-m/arch.h"
#include "kernel/grant.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "kernel/upcall.h"

#define SVC_IMM_MASK     0xffu
#define THUMB_INSN_BYTES 2u

/* How many of r1..r3 each return variant uses. */
static unsigned regs_used(uint32_t variant)
{
    switch (variant) {
    case RET_SUCCESS:
        return 0;
    case RET_FAILURE:
    case RET_SUCCESS_U32:
        return 1;
    case RET_FAILURE_U32:
    case RET_SUCCESS_2U32:
    case RET_SUCCESS_U64:
        return 2;
    default:
        return 3;
    }
}

static void set_return(struct arch_frame *f, struct syscall_ret r)
{
    unsigned n = regs_used(r.variant);

    f->r0 = r.variant;
    if (n >= 1)
        f->r1 = r.r1;
    if (n >= 2)
        f->r2 = r.r2;
    if (n >= 3)
        f->r3 = r.r3;
}

static struct syscall_ret ret3(uint32_t variant, uint32_t a, uint32_t b, uint32_t c)
{
    return (struct syscall_ret){variant, a, b, c};
}

/* yield-wait-for (driver f->r1, upcall f->r2): the oldest queued event
 * it waits for, if any, goes to the frame. */
static bool take_waited_for(struct process *p, const struct arch_frame *f)
{
    int d = driver_index(f->r1);

    return d >= 0 && upcall_take_for(p, (unsigned)d, f->r2);
}

/* ... and with none, the caller waits for it (switch.S's fast path does
 * the same: block_wait_for). */
static void block_wait_for(struct process *p, const struct arch_frame *f)
{
    p->wait_driver = f->r1;
    p->wait_upcall = f->r2;
    p->state = PROC_YIELD_WAIT_FOR;
}

static void do_yield(struct process *p, struct arch_frame *f)
{
    switch (f->r0) {
    case YIELD_NO_WAIT: {
        uint32_t flag_addr = f->r1; /* read first: an upcall rewrites r0-r3 */
        bool ran = upcall_run_next(p);

        /* Written only if the byte is the process's to write. */
        if (flag_addr != 0 && proc_in_ram(p, flag_addr, 1))
            *(volatile uint8_t *)flag_addr = ran ? 1 : 0;
        break;
    }
    case YIELD_WAIT:
        if (!upcall_run_next(p))
            p->state = PROC_YIELD_WAIT;
        break;
    case YIELD_WAIT_FOR:
        if (p->queue_len != 0 && take_waited_for(p, f))
            break;
        block_wait_for(p, f);
        break;
    default:
        break; /* unknown yield: return at once, registers untouched */
    }
}

static struct syscall_ret do_subscribe(struct process *p, uint32_t drv_num, uint32_t num,
                                       uint32_t fn, uint32_t appdata)
{
    int d = driver_index(drv_num);
    struct upcall_slot *slots, old;

    if (d < 0)
        return ret3(RET_FAILURE_2U32, TOCK_ENODEVICE, 0, 0);
    if (num >= kernel_cfg->drivers[d]->num_upcalls)
        return ret3(RET_FAILURE_2U32, TOCK_ENOSUPPORT, fn, appdata);
    if (fn != 0 && !proc_in_flash(p, fn & ~1u, THUMB_INSN_BYTES))
        return ret3(RET_FAILURE_2U32, TOCK_EINVAL, fn, appdata);
    slots = grant_upcalls(p, (unsigned)d, true);
    if (slots == NULL)
        return ret3(RET_FAILURE_2U32, TOCK_ENOMEM, fn, appdata);
    old = slots[num];
    slots[num].fn = fn;
    slots[num].appdata = appdata;
    upcall_cancel(p, (unsigned)d, num);
    return ret3(RET_SUCCESS_2U32, old.fn, old.appdata, 0);
}

static struct syscall_ret do_allow(struct process *p, bool read_write, uint32_t drv_num,
                                   uint32_t num, uint32_t addr, uint32_t len)
{
    int d = driver_index(drv_num);
    struct allow_buf *slots, old;
    unsigned count;
    bool ok;

    if (d < 0)
        return ret3(RET_FAILURE_2U32, TOCK_ENODEVICE, addr, len);
    count =
        read_write ? kernel_cfg->drivers[d]->num_allow_rw : kernel_cfg->drivers[d]->num_allow_ro;
    if (num >= count)
        return ret3(RET_FAILURE_2U32, TOCK_ENOSUPPORT, addr, len);
    /* Zero-length buffers may point anywhere; others must lie wholly in
     * memory the process itself may write (read-write) or read (read-only). */
    ok = len == 0 || proc_in_ram(p, addr, len) || (!read_write && proc_in_flash(p, addr, len));
    if (!ok)
        return ret3(RET_FAILURE_2U32, TOCK_EINVAL, addr, len);
    slots = grant_allows(p, (unsigned)d, read_write, true);
    if (slots == NULL)
        return ret3(RET_FAILURE_2U32, TOCK_ENOMEM, addr, len);
    old = slots[num];
    slots[num].ptr = (uint8_t *)addr;
    slots[num].len = len;
    return ret3(RET_SUCCESS_2U32, (uint32_t)old.ptr, old.len, 0);
}

static command_ret_t do_command(struct process *p, uint32_t drv_num, uint32_t cmd, uint32_t a1,
                                uint32_t a2)
{
    int d = driver_index(drv_num);
    const struct driver *drv;

    if (d < 0)
        return sys_failure(TOCK_ENODEVICE);
    if (cmd == 0)
        return sys_success();
    drv = kernel_cfg->drivers[d];
    return drv->command(drv, proc_id(p), cmd, a1, a2);
}

static command_ret_t do_memop(struct process *p, uint32_t op, uint32_t arg)
{
    uint32_t old = p->app_break;

    switch (op) {
    case MEMOP_BRK:
        if (!proc_set_break(p, arg))
            return sys_failure(TOCK_ENOMEM);
        proc_mpu_setup(p);
        arch_mpu_load(&p->ctx.mpu);
        return sys_success();
    case MEMOP_SBRK:
        if (!proc_set_break(p, old + arg)) /* arg is signed: wraps as intended */
            return sys_failure(TOCK_ENOMEM);
        proc_mpu_setup(p);
        arch_mpu_load(&p->ctx.mpu);
        return sys_success_u32(old);
    case MEMOP_RAM_START:
        return sys_success_u32(p->ram_start);
    case MEMOP_RAM_END:
        return sys_success_u32(p->ram_start + p->ram_size);
    case MEMOP_FLASH_START:
        return sys_success_u32((uint32_t)p->flash);
    case MEMOP_FLASH_END:
        return sys_success_u32((uint32_t)p->flash + p->flash_size);
    case MEMOP_GRANT_START:
        return sys_success_u32(p->grant_start);
    case MEMOP_WFLASH_COUNT:
        return sys_success_u32(0); /* writeable flash regions: none */
    case MEMOP_WFLASH_START:
    case MEMOP_WFLASH_END:
        return sys_failure(TOCK_EINVAL);
    case MEMOP_STACK_TOP:
        p->stack_hint = arg;
        return sys_success();
    case MEMOP_HEAP_START:
        p->heap_hint = arg;
        return sys_success();
    default:
        return sys_failure(TOCK_ENOSUPPORT);
    }
}

/* The general path, one handler per class (the table below). */
typedef void (*class_fn)(struct process *p, struct arch_frame *f);

static void sys_yield(struct process *p, struct arch_frame *f)
{
    do_yield(p, f);
}

static void sys_subscribe(struct process *p, struct arch_frame *f)
{
    set_return(f, do_subscribe(p, f->r0, f->r1, f->r2, f->r3));
}

static void sys_command(struct process *p, struct arch_frame *f)
{
    set_return(f, command_ret_unpack(do_command(p, f->r0, f->r1, f->r2, f->r3)));
}

static void sys_allow_rw(struct process *p, struct arch_frame *f)
{
    set_return(f, do_allow(p, true, f->r0, f->r1, f->r2, f->r3));
}

static void sys_allow_ro(struct process *p, struct arch_frame *f)
{
    set_return(f, do_allow(p, false, f->r0, f->r1, f->r2, f->r3));
}

static void sys_memop(struct process *p, struct arch_frame *f)
{
    set_return(f, command_ret_unpack(do_memop(p, f->r0, f->r1)));
}

static void sys_allow_userspace_read(struct process *p, struct arch_frame *f)
{
    (void)p;
    /* No driver here shares userspace-readable buffers. */
    set_return(f, ret3(RET_FAILURE_2U32, driver_index(f->r0) < 0 ? TOCK_ENODEVICE : TOCK_ENOSUPPORT,
                       f->r2, f->r3));
}

/* Exit (and every unknown class) is NULL: it ends or restarts the
 * process, which resets its saved context, so it happens in the kernel
 * thread after the trap has saved the registers. */
static const class_fn class_table[] = {
    [SYSCALL_YIELD] = sys_yield,
    [SYSCALL_SUBSCRIBE] = sys_subscribe,
    [SYSCALL_COMMAND] = sys_command,
    [SYSCALL_ALLOW_RW] = sys_allow_rw,
    [SYSCALL_ALLOW_RO] = sys_allow_ro,
    [SYSCALL_MEMOP] = sys_memop,
    [SYSCALL_EXIT] = NULL,
    [SYSCALL_ALLOW_USERSPACE_READ] = sys_allow_userspace_read,
};

/* After a call that may have blocked the caller: switch or trap if it
 * did, trap if the kernel has work, else resume. */
static enum arch_trap after_call(struct process *p)
{
    if (p->state != PROC_RUNNABLE)
        return sched_block(p);
    if (sched_kernel_work_pending())
        return TRAP_SYSCALL_DONE;
    return TRAP_NONE;
}

enum arch_trap syscall_yield(struct arch_frame *f)
{
    struct process *p = sched_running();

    p->ctx.sp = (uint32_t)f; /* upcall delivery works on proc_frame() */
    do_yield(p, f);
    return after_call(p);
}

enum arch_trap syscall_entry(struct arch_frame *f)
{
    struct process *p = sched_running();
    uint32_t class = *(const uint16_t *)(f->pc - THUMB_INSN_BYTES) & SVC_IMM_MASK;

    /* No checks needed on f: the hardware stacked this frame with the
     * process's own rights (so it lies in its RAM, or the svc would have
     * faulted instead), and the svc executed unprivileged, which the MPU
     * allows only inside the process's flash image. The saved context
     * gets the stack pointer now: upcall delivery works on proc_frame(). */
    p->ctx.sp = (uint32_t)f;
    if (class >= sizeof(class_table) / sizeof(class_table[0]) || class_table[class] == NULL)
        return TRAP_SYSCALL;
    class_table[class](p, f);
    return after_call(p);
}

void syscall_finish(struct process *p)
{
    struct arch_frame *f = proc_frame(p);
    uint32_t class = *(const uint16_t *)(f->pc - THUMB_INSN_BYTES) & SVC_IMM_MASK;

    if (class != SYSCALL_EXIT)
        proc_fault(p, LOG_TEXT("svc with an unknown system call class"), NULL);
    else if (f->r0 == EXIT_TERMINATE || f->r0 == EXIT_RESTART)
        proc_exit(p, f->r0 == EXIT_RESTART, f->r1);
    else
        set_return(f, command_ret_unpack(sys_failure(TOCK_ENOSUPPORT)));
}
