/* Alarm capsule: see alarm.h. */
#include "capsules/alarm.h"

#include <stddef.h>

#define ALARM_CMD_FREQUENCY    1
#define ALARM_CMD_NOW          2
#define ALARM_CMD_STOP         3
#define ALARM_CMD_SET_RELATIVE 5
#define ALARM_CMD_SET_ABSOLUTE 6
#define ALARM_UPCALL_FIRED     0

static uint32_t slot_bit(unsigned s)
{
    return 1u << s;
}

/* Ask the hardware to interrupt `left` ticks after `now` (at most one
 * chunk ahead), unless it will already interrupt sooner. */
static void program_by(struct alarm_capsule *a, uint32_t now, uint32_t left)
{
    uint32_t chunk = left < ALARM_MAX_CHUNK ? left : ALARM_MAX_CHUNK;

    if (a->hw_armed && a->hw_due - now <= chunk)
        return;
    a->hw->ops->set(a->hw, now, chunk);
    a->hw_armed = true;
    a->hw_due = now + chunk;
}

static void fire(struct alarm_capsule *a, const struct alarm_entry *e, uint32_t now)
{
    upcall_schedule(&a->drv, e->pid, ALARM_UPCALL_FIRED, now, e->reference + e->dt, 0);
}

/* The hardware alarm went off: fire what is due, re-base the rest on now
 * (so none can be lost to a wrap), and program the soonest. Looks at the
 * armed alarms only. */
static void alarm_fired(void *ctx)
{
    struct alarm_capsule *a = ctx;
    uint32_t now = a->hw->ops->now(a->hw);
    uint32_t pending = a->armed, soonest = UINT32_MAX;
    bool any = false;

    a->hw_interrupts++;
    a->hw_armed = false;
    while (pending != 0) {
        unsigned s = (unsigned)__builtin_ctz(pending);
        struct alarm_entry *e = &a->entry[s];
        uint32_t elapsed = now - e->reference;

        pending &= pending - 1;
        if (elapsed >= e->dt) {
            a->armed &= ~slot_bit(s);
            fire(a, e, now);
            continue;
        }
        e->reference = now;
        e->dt -= elapsed;
        if (e->dt < soonest)
            soonest = e->dt;
        any = true;
    }
    if (any)
        program_by(a, now, soonest);
    /* Else nothing is armed, and the hardware alarm is off already: the
     * driver disarms it before calling back (hal/alarm.h). */
}

/* now: the counter as read once for the whole command. */
static command_ret_t arm(struct alarm_capsule *a, proc_id_t pid, uint32_t now, uint32_t reference,
                         uint32_t dt)
{
    unsigned s = proc_id_slot(pid);
    struct alarm_entry *e = &a->entry[s];
    uint32_t elapsed = now - reference;

    e->pid = pid;
    e->reference = reference;
    e->dt = dt;
    if (elapsed >= dt) {
        /* Due already (a reference in the past, or dt 0): fire now. */
        a->armed &= ~slot_bit(s);
        fire(a, e, now);
    } else {
        e->reference = now;
        e->dt = dt - elapsed;
        a->armed |= slot_bit(s);
        program_by(a, now, e->dt);
    }
    return sys_success_u32(reference + dt);
}

static command_ret_t stop(struct alarm_capsule *a, proc_id_t pid)
{
    unsigned s = proc_id_slot(pid);

    if (!(a->armed & slot_bit(s)) || a->entry[s].pid != pid)
        return sys_failure(TOCK_EALREADY);
    a->armed &= ~slot_bit(s);
    /* With others armed the hardware stays as it is: an interrupt that
     * finds nothing due costs one check and reprograms for the next. */
    if (a->armed == 0) {
        a->hw->ops->disarm(a->hw);
        a->hw_armed = false;
    }
    return sys_success();
}

/* The commands that read or program the hardware. Out of line, so that
 * alarm_command itself is a leaf without a stack frame: the frequency
 * costs a handful of instructions. */
static __attribute__((noinline)) command_ret_t
timer_command(struct alarm_capsule *a, proc_id_t pid, uint32_t cmd, uint32_t arg1, uint32_t arg2)
{
    uint32_t now = a->hw->ops->now(a->hw); /* read once for the whole command */

    switch (cmd) {
    case ALARM_CMD_NOW:
        return sys_success_u32(now);
    case ALARM_CMD_STOP:
        return stop(a, pid);
    case ALARM_CMD_SET_RELATIVE:
        return arm(a, pid, now, now, arg1);
    case ALARM_CMD_SET_ABSOLUTE:
        return arm(a, pid, now, arg1, arg2);
    default:
        return sys_failure(TOCK_ENOSUPPORT);
    }
}

static command_ret_t alarm_command(const struct driver *drv, proc_id_t pid, uint32_t cmd,
                                   uint32_t arg1, uint32_t arg2)
{
    struct alarm_capsule *a = (struct alarm_capsule *)drv; /* its first member */

    if (cmd == ALARM_CMD_FREQUENCY)
        return sys_success_u32(a->hw->frequency);
    return timer_command(a, pid, cmd, arg1, arg2);
}

void alarm_init(struct alarm_capsule *a, struct alarm_hw *hw)
{
    *a = (struct alarm_capsule){
        .drv =
            {
                .number = DRIVER_ALARM,
                .num_upcalls = 1,
                .command = alarm_command,
                .ctx = a,
            },
        .hw = hw,
    };
    hw->fired = alarm_fired;
    hw->fired_ctx = a;
}
