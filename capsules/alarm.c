/* Alarm capsule: see alarm.h. */
#include "capsules/alarm.h"

#include <stdbool.h>
#include <stddef.h>

#define ALARM_CMD_FREQUENCY    1
#define ALARM_CMD_NOW          2
#define ALARM_CMD_STOP         3
#define ALARM_CMD_SET_RELATIVE 5
#define ALARM_CMD_SET_ABSOLUTE 6
#define ALARM_UPCALL_FIRED     0

/* Per-process state, in the process's grant. */
struct alarm_grant {
    bool armed;
    uint32_t reference, dt;
};

static bool expired(uint32_t now, const struct alarm_grant *g)
{
    return now - g->reference >= g->dt;
}

/* Fire every expired alarm, then program the hardware for the soonest
 * remaining one. */
static void alarm_update(struct alarm_capsule *a)
{
    uint32_t now = a->hw->ops->now(a->hw);
    uint32_t best_left = UINT32_MAX;
    bool any = false;
    unsigned cursor = 0;
    proc_id_t pid;

    while ((pid = proc_next(&cursor)) != PROC_ID_NONE) {
        struct alarm_grant *g = grant_peek(&a->drv, pid);

        if (g == NULL || !g->armed)
            continue;
        if (expired(now, g)) {
            g->armed = false;
            upcall_schedule(&a->drv, pid, ALARM_UPCALL_FIRED, now, g->reference + g->dt, 0);
            continue;
        }
        if (g->reference + g->dt - now < best_left) {
            best_left = g->reference + g->dt - now;
            any = true;
        }
    }
    if (any)
        a->hw->ops->set(a->hw, now, best_left);
    else
        a->hw->ops->disarm(a->hw);
}

static void alarm_fired(void *ctx)
{
    alarm_update(ctx);
}

static command_ret_t arm(struct alarm_capsule *a, proc_id_t pid, uint32_t reference, uint32_t dt)
{
    struct alarm_grant *g = grant_get(&a->drv, pid);

    if (g == NULL)
        return sys_failure(TOCK_ENOMEM);
    g->armed = true;
    g->reference = reference;
    g->dt = dt;
    alarm_update(a);
    return sys_success_u32(reference + dt);
}

static command_ret_t alarm_command(const struct driver *drv, proc_id_t pid, uint32_t cmd,
                                   uint32_t arg1, uint32_t arg2)
{
    struct alarm_capsule *a = drv->ctx;
    struct alarm_grant *g;

    switch (cmd) {
    case ALARM_CMD_FREQUENCY:
        return sys_success_u32(a->hw->frequency);
    case ALARM_CMD_NOW:
        return sys_success_u32(a->hw->ops->now(a->hw));
    case ALARM_CMD_STOP:
        g = grant_peek(drv, pid);
        if (g == NULL || !g->armed)
            return sys_failure(TOCK_EALREADY);
        g->armed = false;
        alarm_update(a);
        return sys_success();
    case ALARM_CMD_SET_RELATIVE:
        return arm(a, pid, a->hw->ops->now(a->hw), arg1);
    case ALARM_CMD_SET_ABSOLUTE:
        return arm(a, pid, arg1, arg2);
    default:
        return sys_failure(TOCK_ENOSUPPORT);
    }
}

void alarm_init(struct alarm_capsule *a, struct alarm_hw *hw)
{
    a->drv = (struct driver){
        .number = DRIVER_ALARM,
        .name = "alarm",
        .num_upcalls = 1,
        .grant_size = sizeof(struct alarm_grant),
        .command = alarm_command,
        .ctx = a,
    };
    a->hw = hw;
    hw->fired = alarm_fired;
    hw->fired_ctx = a;
}
