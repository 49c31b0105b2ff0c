/* Low-level debug capsule: see lldebug.h. */
#include "capsules/lldebug.h"

#include "kernel/fmt.h"
#include "kernel/log.h"

#define LLDEBUG_CMD_ALERT    1
#define LLDEBUG_CMD_PRINT1   2
#define LLDEBUG_CMD_PRINT2   3
#define LLDEBUG_ALERT_PANIC  1
#define LLDEBUG_ALERT_PLACED 2
#define LLDEBUG_LINE_MAX     96

static const char *alert_text(uint32_t code)
{
    switch (code) {
    case LLDEBUG_ALERT_PANIC:
        return "app panic";
    case LLDEBUG_ALERT_PLACED:
        return "app installed at the wrong flash address";
    default:
        return "unknown alert code";
    }
}

static command_ret_t lldebug_command(const struct driver *drv, proc_id_t pid, uint32_t cmd,
                                     uint32_t a1, uint32_t a2)
{
    char line[LLDEBUG_LINE_MAX];
    int n;

    (void)drv;
    switch (cmd) {
    case LLDEBUG_CMD_ALERT:
        n = fmt_format(line, sizeof(line), "[lldebug] '%s': alert 0x%x (%s)\n", proc_name(pid),
                       (unsigned)a1, alert_text(a1));
        break;
    case LLDEBUG_CMD_PRINT1:
        n = fmt_format(line, sizeof(line), "[lldebug] '%s': 0x%x\n", proc_name(pid), (unsigned)a1);
        break;
    case LLDEBUG_CMD_PRINT2:
        n = fmt_format(line, sizeof(line), "[lldebug] '%s': 0x%x 0x%x\n", proc_name(pid),
                       (unsigned)a1, (unsigned)a2);
        break;
    default:
        return sys_failure(TOCK_ENOSUPPORT);
    }
    log_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
    return sys_success();
}

void lldebug_init(struct lldebug *l)
{
    l->drv = (struct driver){
        .number = DRIVER_LLDEBUG,
        .name = "lldebug",
        .command = lldebug_command,
        .ctx = l,
    };
}
