/* Low-level debug driver calls: one command each. */
#include "userland/lldebug.h"
#include "userland/syscall.h"

int tock_lldebug_alert(uint32_t code)
{
    return tock_command_ok(DRIVER_LLDEBUG, LLDEBUG_CMD_ALERT, code, 0);
}

int tock_lldebug_print(uint32_t value)
{
    return tock_command_ok(DRIVER_LLDEBUG, LLDEBUG_CMD_PRINT1, value, 0);
}

int tock_lldebug_print2(uint32_t a, uint32_t b)
{
    return tock_command_ok(DRIVER_LLDEBUG, LLDEBUG_CMD_PRINT2, a, b);
}
