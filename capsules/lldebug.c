/* Low-level debug capsule: see lldebug.h. */
#include "capsules/lldebug.h"

#include "kernel/log.h"

#define LLDEBUG_CMD_ALERT    1
#define LLDEBUG_CMD_PRINT1   2
#define LLDEBUG_CMD_PRINT2   3
#define LLDEBUG_ALERT_PANIC  1
#define LLDEBUG_ALERT_PLACED 2

/* Only ever logged: the names live in the log text (kernel/log.h). */
static const char *alert_text(uint32_t code)
{
    switch (code) {
    case LLDEBUG_ALERT_PANIC:
        return LOG_TEXT("app panic");
    case LLDEBUG_ALERT_PLACED:
        return LOG_TEXT("app installed at the wrong flash address");
    default:
        return LOG_TEXT("unknown alert code");
    }
}

static command_ret_t lldebug_command(const struct driver *drv, proc_id_t pid, uint32_t cmd,
                                     uint32_t a1, uint32_t a2)
{
    (void)drv;
    switch (cmd) {
    case LLDEBUG_CMD_ALERT:
        log_emit("[lldebug] ", "'%s': alert 0x%x (%s)", proc_name(pid), (unsigned)a1,
                 alert_text(a1));
        break;
    case LLDEBUG_CMD_PRINT1:
        log_emit("[lldebug] ", "'%s': 0x%x", proc_name(pid), (unsigned)a1);
        break;
    case LLDEBUG_CMD_PRINT2:
        log_emit("[lldebug] ", "'%s': 0x%x 0x%x", proc_name(pid), (unsigned)a1, (unsigned)a2);
        break;
    default:
        return sys_failure(TOCK_ENOSUPPORT);
    }
    return sys_success();
}

void lldebug_init(struct lldebug *l)
{
    l->drv = (struct driver){
        .number = DRIVER_LLDEBUG,
        .command = lldebug_command,
        .ctx = l,
    };
}
